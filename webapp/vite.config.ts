import { defineConfig } from 'vite';

// Deterministic output (content hashes only, no timestamps) into the Python package,
// which serves index.html for the app's routes and the assets under /app/assets/.
export default defineConfig({
  base: '/app/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', legalComments: 'none' },
  build: {
    outDir: '../src/cairn/webapp/static',
    emptyOutDir: true,
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
