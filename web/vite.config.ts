import { defineConfig } from 'vite';

// The workspace is served by the gateway under /console/; the build goes to web/dist (not committed).
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
