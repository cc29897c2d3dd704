import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Resolved from this file, not from the working directory, so `vite build --config
// apps/web/vite.config.ts` run from the repository root lands in /dist/web.
const root = path.dirname(fileURLToPath(import.meta.url));
const api = process.env.SANDI_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: path.resolve(root, '../../dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // One cacheable vendor chunk (React, router, i18next) that changes only on upgrades;
        // without it the shared chunk is named after whichever app module it absorbed.
        codeSplitting: { groups: [{ name: 'vendor', test: /node_modules/ }] },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/health': { target: api, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/health': { target: api, changeOrigin: false },
    },
  },
});
