import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where `npm run dev` runs the API (scripts/dev.mjs starts it on this port). */
const apiTarget = `http://localhost:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root: path.resolve(here, 'src/web'),
  plugins: [react()],
  build: {
    outDir: path.resolve(here, 'dist/web'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's own comments that Rollup cannot place: noise, not a problem of ours.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
  server: {
    // The Host header is kept (no changeOrigin), so the API's same-origin check sees the page's own origin.
    proxy: {
      '/api': { target: apiTarget, ws: true },
      '/healthz': { target: apiTarget },
    },
  },
});
