// The Hugging Face Hub client: files by repository id, cached in the huggingface_hub layout.
export { hubFile } from './hub-file.js';
export {
  defaultHubCacheDir,
  hubEnvironment,
  hubIdentity,
  type DownloadProgress,
  type HubEnvironment,
  type HubOptions,
} from './hub-options.js';
export { validateFilePath, validateRepoId, validateRevision, isCommitHash } from './repo-id.js';
export { createProgressBar, type ProgressStream } from './progress-bar.js';
