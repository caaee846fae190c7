import { defineConfig } from 'vite';

// No React plugin is installed: Vite 8's built-in oxc transform compiles TSX with the automatic runtime.
export default defineConfig({
  root: 'renderer',
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The CSP allows no inline script or style: keep every asset a file, however small.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    target: 'es2022',
  },
});
