import { attnVitestConfig } from '../../vitest.shared.js';

// The packaging test builds, packs and installs the packages before it runs them: about a minute on a busy
// 2-core machine, so its hooks and tests get far more than the default 30 s.
export default attnVitestConfig({ test: { testTimeout: 180_000, hookTimeout: 300_000 } });
