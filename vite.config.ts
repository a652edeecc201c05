import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Builds the web app from web/ into dist/web, which the server serves on its own port. */
export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
