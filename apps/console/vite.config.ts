import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The merchant console. `npm run build` builds it and the platform serves dist/ at `/console/`;
// `npm run dev -w @lianjie/console` serves it with hot reload and proxies the API to a running platform.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } } },
});
