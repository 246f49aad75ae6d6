/// <reference types="node" />
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console's production build, served by the api app under BASE (libs/console; the router's BASE says the same). No JSX plugin:
 * Vite compiles TSX itself with the automatic runtime that tsconfig.json names. The output goes next
 * to the compiled server code so every run mode finds it at the same relative place.
 */
const BASE = '/';
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: BASE,
  build: {
    outDir: resolve(here, '../../dist/libs/console/src/app'),
    emptyOutDir: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      // TanStack marks its hooks "use client" for React Server Components, which a single-page app does not have.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
