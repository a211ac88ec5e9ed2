import { attnVitestConfig } from '../../vitest.shared.js';

export default attnVitestConfig();
