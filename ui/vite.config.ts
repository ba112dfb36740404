/** The web UI's build: `vite build --config ui/vite.config.ts` writes dist/ui, which the server serves at `/`. */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig(({ command }) => {
  // A build is always React's production build, even when started from a test run (vitest sets NODE_ENV=test).
  if (command === 'build') process.env['NODE_ENV'] = 'production';
  return {
    root: fileURLToPath(new URL('.', import.meta.url)),
    base: '/',
    plugins: [react()],
    // No public/ folder: everything the page needs is imported (and hashed) by the bundle.
    publicDir: false,
    // `npm run dev:ui`: the page on Vite's port, its API calls passed to a running server ($FERRY_URL).
    server: {
      proxy: Object.fromEntries(['/api', '/v2'].map((p) => [p, { target: process.env['FERRY_URL'] ?? 'http://127.0.0.1:5050', changeOrigin: true }])),
    },
    build: {
      outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      chunkSizeWarningLimit: 1000,
    },
  };
});
