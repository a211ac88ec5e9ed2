import { attnVitestConfig } from '../../vitest.shared.js';

// CLI tests spawn `attn` as a child process that loads real models (attn/mt-en-de with its attention taps) from
// TypeScript sources; on a busy 2-core CI machine one such run can take well over the default 30 s.
export default attnVitestConfig({ test: { testTimeout: 120_000 } });
