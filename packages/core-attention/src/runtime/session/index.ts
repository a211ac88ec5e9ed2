export { SessionCache, type SessionCacheOptions, type GetSessionOptions } from './session-cache.js';
export { ModelSession, type RunOptions, type RunResult } from './model-session.js';
export {
  sessionOptions,
  mergeSessionOptions,
  checkSessionOptions,
  optionsKey,
  type SessionOptions,
} from './session-options.js';
export { externalDataOptions } from './external-data-options.js';
export { creationError, runError } from './ort-error.js';
