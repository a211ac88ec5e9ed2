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
    // Only apps and tools talk to a terminal.
    files: ['apps/**', 'tools/**', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
);
