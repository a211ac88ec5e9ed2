// Shared vitest settings: workspace packages resolve to their TypeScript sources, so tests need no build.
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const source = (path: string): string => `${root}packages/${path}`;

export const workspaceAliases = [
  {
    find: '@attn/core-attention/testing',
    replacement: source('core-attention/src/testing/index.ts'),
  },
  {
    find: '@attn/core-attention/runtime',
    replacement: source('core-attention/src/runtime/index.ts'),
  },
  { find: /^@attn\/core-attention$/, replacement: source('core-attention/src/index.ts') },
  { find: /^@attn\/nlp$/, replacement: source('nlp/src/index.ts') },
  { find: /^@attn\/vision$/, replacement: source('vision/src/index.ts') },
  { find: /^@attn\/audio$/, replacement: source('audio/src/index.ts') },
];

/** The vitest config every package uses; `overrides.test` is merged over the defaults. */
export function attnVitestConfig(overrides: ViteUserConfig = {}): ViteUserConfig {
  return defineConfig({
    ...overrides,
    resolve: { alias: workspaceAliases },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
      testTimeout: 30_000,
      // setup that builds a UI or loads real models can take a while on a busy 2-core CI machine
      hookTimeout: 120_000,
      ...overrides.test,
    },
  });
}
