export function App() {
  return (
    <main>
      <h1>Lianjie 连接</h1>
    </main>
  );
}
