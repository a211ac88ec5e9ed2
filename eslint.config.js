// One flat config for every package: typescript-eslint's recommended rules plus the house rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/out/**', '**/node_modules/**', 'models/**', 'tools/model-zoo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The pure modules also run in a browser: nothing from Node, onnxruntime or the runtime layer.
    files: ['packages/core-attention/src/{errors,tensor,attention,analysis,render}/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'onnxruntime-*', '**/runtime/**', '**/testing/**'],
              message:
                'pure modules run in a browser: import nothing from Node, onnxruntime, runtime/ or testing/',
            },
          ],
        },
      ],
    },
  },
  ...['nlp', 'vision', 'audio'].map((domain) => ({
    // apps -> {nlp, vision, audio} -> core-attention: domain packages never import each other or an app.
    files: [`packages/${domain}/src/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@attn/nlp',
                '@attn/vision',
                '@attn/audio',
                '@attn/cli',
                '@attn/studio',
                '@attn/showcase',
              ].filter((name) => name !== `@attn/${domain}`),
              message: 'domain packages depend only on @attn/core-attention',
            },
          ],
        },
      ],
    },
  })),
  {
    // The studio's UI runs in a browser: the API types and core-attention's pure root, nothing from Node.
    files: ['apps/studio/src/ui/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                '@attn/nlp',
                '@attn/vision',
                '@attn/audio',
                '@attn/models',
                '@attn/core-attention/*',
                '**/server/**',
                '**/testing/**',
              ],
              message:
                'the studio UI runs in a browser: import only ../api and the root of @attn/core-attention',
            },
          ],
        },
      ],
    },
  },
  {
    // Only apps and tools talk to a terminal.
    files: ['apps/**', 'tools/**', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
);
