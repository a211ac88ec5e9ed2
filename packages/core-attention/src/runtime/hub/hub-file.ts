// hubFile: the local path of one file of a Hugging Face Hub repository, downloaded into the
// huggingface_hub cache layout when needed — the behaviour of huggingface_hub's hf_hub_download.
import { AttnError } from '../../errors/index.js';
import { withBlobLock } from './blob-lock.js';
import {
  findCachedFile,
  isFile,
  linkSnapshot,
  markMissing,
  repoCache,
  writeRef,
  type RepoCache,
} from './cache-layout.js';
import { downloadBlob } from './download-file.js';
import { fetchFileMetadata, resolveUrl, type MetadataAnswer } from './file-metadata.js';
import { describeTarget, type HubTarget } from './hub-errors.js';
import { resolveHubOptions, type HubOptions } from './hub-options.js';
import type { HubConnection } from './hub-request.js';
import { createProgressBar } from './progress-bar.js';
import { isCommitHash, validateFilePath, validateRepoId, validateRevision } from './repo-id.js';

/**
 * Returns the absolute path of `path` from hub repository `repoId` at `options.revision` (default
 * `main`), inside the snapshot folder of the Hugging Face cache, downloading it first if needed.
 *
 * - Online, one HEAD asks the hub which commit and ETag the revision has now; a blob already in the
 *   cache is linked, not downloaded again. A commit sha revision already cached needs no request at all.
 * - Offline (`HF_HUB_OFFLINE=1` or `offline: true`) no request is made: `refs/<revision>` and the snapshot decide.
 * - When the hub cannot be reached or answers 5xx, a file cached before for this revision is returned
 *   instead (as huggingface_hub does); without one the call fails with NETWORK. HTTP errors are not retried.
 * - A transfer that breaks off is resumed with a Range request, up to three times per call; an
 *   interrupted call leaves `blobs/<etag>.incomplete`, which the next call resumes. Content is checked
 *   against the ETag before it is renamed into place.
 * - Concurrent calls for one blob download it once (a lock per blob, in-process and across processes).
 *
 * @example
 * ```ts
 * const path = await hubFile('Xenova/bert-base-uncased', 'onnx/model_quantized.onnx');
 * // '/home/me/.cache/huggingface/hub/models--Xenova--bert-base-uncased/snapshots/<commit>/onnx/model_quantized.onnx'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT (bad id, revision, path or endpoint), FILE_NOT_FOUND (no such file),
 * MODEL_NOT_FOUND (no such repository or revision, or private without a token), UNAUTHORIZED (gated,
 * forbidden or a refused token), OFFLINE (offline and not cached), NETWORK, INTEGRITY, ABORTED.
 */
export async function hubFile(
  repoId: string,
  path: string,
  options: HubOptions = {},
): Promise<string> {
  validateRepoId('hubFile', repoId);
  validateFilePath('hubFile', path);
  const settings = resolveHubOptions('hubFile', options);
  const { revision } = settings;
  validateRevision('hubFile', revision);
  const target: HubTarget = {
    repoId,
    path,
    revision,
    endpoint: settings.endpoint,
    hasToken: settings.token !== undefined,
  };
  const cache = repoCache(settings.cacheDir, repoId);
  if (settings.offline) return fromCacheOffline(cache, target, settings.cacheDir);
  if (settings.signal?.aborted === true)
    throw new AttnError('ABORTED', `hubFile(): aborted before fetching ${describeTarget(target)}`);
  if (isCommitHash(revision)) {
    const cached = await findCachedFile(cache, revision, path);
    if (cached.kind === 'file') return cached.path;
  }
  const connection: HubConnection = {
    target,
    fetch: settings.fetch,
    token: settings.token,
    signal: settings.signal,
    timeoutMs: settings.timeoutMs,
  };
  let answer: MetadataAnswer;
  try {
    answer = await fetchFileMetadata(
      connection,
      resolveUrl(settings.endpoint, repoId, revision, path),
    );
  } catch (error) {
    // the hub is unreachable or failing: a copy cached earlier for this revision still serves, as in huggingface_hub
    const cached =
      AttnError.is(error) && error.code === 'NETWORK'
        ? await findCachedFile(cache, revision, path)
        : undefined;
    if (cached?.kind === 'file') return cached.path;
    throw error;
  }
  if (!answer.found) {
    if (answer.commit !== undefined) {
      await writeRef(cache, revision, answer.commit);
      await markMissing(cache, answer.commit, path).catch(() => undefined);
    }
    throw answer.error;
  }
  const { commit, etag, size, downloadUrl } = answer.metadata;
  await writeRef(cache, revision, commit);
  const snapshot = cache.snapshotPath(commit, path);
  if (await isFile(snapshot)) return snapshot;
  const blobPath = cache.blobPath(etag);
  await withBlobLock(cache.lockPath(etag), settings.signal, async () => {
    if (await isFile(blobPath)) return;
    await downloadBlob({
      connection,
      url: downloadUrl,
      etag,
      size,
      incompletePath: cache.incompletePath(etag),
      blobPath,
      onProgress:
        settings.onProgress ??
        (process.stderr.isTTY ? createProgressBar(process.stderr) : undefined),
    });
  });
  return linkSnapshot(cache, commit, path, etag);
}

async function fromCacheOffline(
  cache: RepoCache,
  target: HubTarget,
  cacheDir: string,
): Promise<string> {
  const cached = await findCachedFile(cache, target.revision, target.path);
  if (cached.kind === 'file') return cached.path;
  if (cached.kind === 'missing') {
    throw new AttnError(
      'FILE_NOT_FOUND',
      `hubFile(): ${describeTarget(target)} does not exist (the cache records it as missing at commit ${cached.commit})`,
      {
        fix: 'check the file name',
      },
    );
  }
  throw new AttnError(
    'OFFLINE',
    `hubFile(): offline mode is on and ${describeTarget(target)} is not in the cache ${cacheDir}`,
    {
      likelyCause:
        'HF_HUB_OFFLINE=1 or options.offline is set, and this file or revision was never downloaded into this cache',
      fix: 'run once online to fill the cache, or set HF_HOME (or HF_HUB_CACHE) to a cache that has it',
    },
  );
}
