import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The consumer client. `npm start` builds it and the platform serves dist/ at `/`; `npm run dev -w
// @lianjie/client` serves it with hot reload and proxies the API to a running platform.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', ws: true },
      '/cgi-bin': 'http://127.0.0.1:3000',
      '/connect': 'http://127.0.0.1:3000',
      '/jssdk': 'http://127.0.0.1:3000',
    },
  },
});
