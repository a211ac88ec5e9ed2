import { attnVitestConfig } from '../../vitest.shared.js';

// The API and browser tests run real models (attn/mt-en-de with its attention taps) in worker threads; on a busy
// 2-core CI machine one such request can take well over the default 30 s.
export default attnVitestConfig({ test: { testTimeout: 120_000 } });
