// Vite builds the studio's browser UI (src/ui) into dist/ui, which the studio server serves. @attn/core-attention
// resolves to its TypeScript source, as in the tests: the UI uses only its browser-safe root (no Node, no runtime).
// `npx vite` serves the UI with hot reload and forwards /api to a studio server on port 4500.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./src/ui'),
  base: './',
  resolve: {
    alias: [
      {
        find: /^@attn\/core-attention$/,
        replacement: here('../../packages/core-attention/src/index.ts'),
      },
    ],
  },
  build: { outDir: here('./dist/ui'), emptyOutDir: true, target: 'es2022' },
  server: { proxy: { '/api': 'http://127.0.0.1:4500' } },
});
