// What the hub says about one file before it is downloaded: a HEAD on its resolve URL, read the way
// huggingface_hub's get_hf_file_metadata reads it (X-Repo-Commit, X-Linked-Etag / ETag,
// X-Linked-Size / Content-Length, and the Location of the 302 to the CDN for LFS files).
import { AttnError } from '../../errors/index.js';
import { describeTarget, statusError } from './hub-errors.js';
import { hubRequest, startDeadline, type HubConnection } from './hub-request.js';
import { isCommitHash } from './repo-id.js';

/** A file as the hub describes it. */
export interface FileMetadata {
  /** The commit sha the revision resolves to. */
  commit: string;
  /** The content's ETag without quotes or `W/`: sha256 for LFS files, git blob sha1 for small files. */
  etag: string;
  /** Size in bytes, when the hub said. */
  size: number | undefined;
  /** Where to GET the content: the CDN address for LFS files, the resolve URL otherwise. */
  downloadUrl: URL;
}

/** The hub's answer: the file's metadata, or the error with the commit (when known) for a `.no_exist` marker. */
export type MetadataAnswer =
  | { found: true; metadata: FileMetadata }
  | { found: false; error: AttnError; commit: string | undefined };

const safeEtag = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The resolve URL `<endpoint>/<repoId>/resolve/<revision>/<path>`, revision and path segments URL-encoded.
 *
 * @example
 * ```ts
 * resolveUrl('https://huggingface.co', 'org/name', 'refs/pr/1', 'onnx/model.onnx');
 * // 'https://huggingface.co/org/name/resolve/refs%2Fpr%2F1/onnx/model.onnx'
 * ```
 * @throws never.
 */
export function resolveUrl(
  endpoint: string,
  repoId: string,
  revision: string,
  path: string,
): string {
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/${repoId}/resolve/${encodeURIComponent(revision)}/${encodedPath}`;
}

/**
 * HEADs the file's resolve URL, following the hub's own redirects (renamed repositories) but stopping
 * at the first answer that carries X-Repo-Commit, which for LFS files is the 302 to the CDN.
 *
 * @example
 * ```ts
 * const answer = await fetchFileMetadata(connection, resolveUrl(endpoint, 'org/name', 'main', 'config.json'));
 * if (answer.found) answer.metadata.etag; // e.g. 'cc8a6b41c02264f7110eed9d6cac93bc973dcf7b'
 * ```
 * @throws {AttnError} ABORTED, NETWORK (no answer, a 5xx, or headers that are not a hub's), UNAUTHORIZED
 * and MODEL_NOT_FOUND; FILE_NOT_FOUND is returned as `{ found: false }`.
 */
export async function fetchFileMetadata(
  connection: HubConnection,
  url: string,
): Promise<MetadataAnswer> {
  const deadline = startDeadline(connection.timeoutMs, connection.signal);
  try {
    const { response, url: answeredBy } = await hubRequest(
      connection,
      deadline,
      url,
      'HEAD',
      { 'Accept-Encoding': 'identity' },
      (answer) => answer.headers.has('x-repo-commit'),
    );
    const commitHeader = response.headers.get('x-repo-commit');
    if (response.status >= 400) {
      const error = statusError(connection.target, response);
      if (error.code !== 'FILE_NOT_FOUND') throw error;
      return {
        found: false,
        error,
        commit: commitHeader !== null && isCommitHash(commitHeader) ? commitHeader : undefined,
      };
    }
    const redirected = response.status >= 300;
    const etag = (response.headers.get('x-linked-etag') ?? response.headers.get('etag') ?? '')
      .replace(/^W\//, '')
      .replace(/"/g, '');
    const sizeHeader =
      response.headers.get('x-linked-size') ??
      (redirected ? null : response.headers.get('content-length'));
    const size = sizeHeader === null ? undefined : Number(sizeHeader);
    if (
      commitHeader === null ||
      !isCommitHash(commitHeader) ||
      !safeEtag.test(etag) ||
      (size !== undefined && !(Number.isSafeInteger(size) && size >= 0))
    ) {
      throw new AttnError(
        'NETWORK',
        `hubFile(): ${connection.target.endpoint} answered ${response.status} for ${describeTarget(connection.target)} without the hub's headers ` +
          `(X-Repo-Commit ${JSON.stringify(commitHeader)}, ETag ${JSON.stringify(etag)}, size ${JSON.stringify(sizeHeader)})`,
        {
          likelyCause:
            'HF_ENDPOINT points at something that is not a Hugging Face hub, or a proxy strips headers',
          fix: 'check HF_ENDPOINT',
        },
      );
    }
    const location = response.headers.get('location');
    const downloadUrl =
      redirected && location !== null ? new URL(location, answeredBy) : answeredBy;
    return { found: true, metadata: { commit: commitHeader, etag, size, downloadUrl } };
  } finally {
    deadline.clear();
  }
}
