import path from 'node:path';
import { defineConfig } from 'vite';

/** The web app: sources in src/web, built into dist-web/ (served by the server at /). */
export default defineConfig({
  root: path.resolve(__dirname, 'src/web'),
  base: '/',
  publicDir: false,
  build: {
    outDir: path.resolve(__dirname, 'dist-web'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/engine-rest': 'http://127.0.0.1:8080' },
  },
});
