// Downloads one blob the way huggingface_hub does: into blobs/<etag>.incomplete, resumed with
// `Range: bytes=<have>-` after a broken transfer, verified against the ETag, then renamed into place,
// so a final path never holds a partial file.
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AttnError } from '../../errors/index.js';
import { describeTarget, statusError, transportError } from './hub-errors.js';
import { hubRequest, startDeadline, type HubConnection } from './hub-request.js';
import type { DownloadProgress } from './hub-options.js';
import { removeFile } from './cache-layout.js';
import { verifyBlob } from './verify-blob.js';

/** One blob to fetch. */
export interface BlobDownload {
  connection: HubConnection;
  /** The CDN address (LFS) or resolve URL of the content. */
  url: URL;
  etag: string;
  /** Size the hub announced, when it did. */
  size: number | undefined;
  incompletePath: string;
  blobPath: string;
  onProgress: ((event: DownloadProgress) => void) | undefined;
}

/** A transfer broke off (connection lost, stalled, closed early); the bytes so far are kept and resumed. */
interface BrokenTransfer {
  error: AttnError;
}

/** Transfers per download: the first and up to three resumptions. HTTP error answers are not retried. */
const maxTransfers = 4;

/**
 * Downloads, verifies and renames one blob; resumes an `.incomplete` file left by an earlier call.
 * On ABORTED or NETWORK the `.incomplete` file stays for the next call to resume; on INTEGRITY it is deleted.
 *
 * @example
 * ```ts
 * await downloadBlob({ connection, url, etag, size, incompletePath: cache.incompletePath(etag),
 *   blobPath: cache.blobPath(etag), onProgress: (event) => console.log(event.loaded, event.total) });
 * ```
 * @throws {AttnError} ABORTED (caller's signal), NETWORK (unreachable, HTTP error, or still broken after
 * four transfers), UNAUTHORIZED / FILE_NOT_FOUND / MODEL_NOT_FOUND (hub answers), INTEGRITY (content does not match the ETag).
 */
export async function downloadBlob(download: BlobDownload): Promise<void> {
  const { connection, incompletePath, etag, size } = download;
  await mkdir(dirname(incompletePath), { recursive: true });
  let reported = 0;
  const report = (loaded: number): void => {
    if (loaded < reported) return; // a server that ignored Range restarts from zero: keep the bar monotone
    reported = loaded;
    download.onProgress?.({ file: connection.target.path, loaded, total: size });
  };
  for (let transfer = 1; ; transfer++) {
    const broken = await transferOnce(download, await sizeOf(incompletePath), report);
    if (broken === undefined) break;
    if (transfer >= maxTransfers) throw broken.error;
  }
  const failure = await verifyBlob(incompletePath, etag, size);
  if (failure !== undefined) {
    await removeFile(incompletePath);
    throw new AttnError(
      'INTEGRITY',
      `hubFile(): the download of ${describeTarget(connection.target)} is corrupt: ${failure}`,
      {
        likelyCause: 'the connection or a proxy altered the content',
        fix: 'run again; the corrupt download was deleted',
      },
    );
  }
  await rename(incompletePath, download.blobPath);
}

async function transferOnce(
  download: BlobDownload,
  offset: number,
  report: (loaded: number) => void,
): Promise<BrokenTransfer | undefined> {
  const { connection, incompletePath, size } = download;
  if (size !== undefined && offset === size) return undefined;
  if (size !== undefined && offset > size) {
    await removeFile(incompletePath);
    return { error: brokenError(download, 'the partial download was longer than the file') };
  }
  const deadline = startDeadline(connection.timeoutMs, connection.signal);
  try {
    const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
    if (offset > 0) headers.Range = `bytes=${offset}-`;
    const { response } = await hubRequest(connection, deadline, download.url.href, 'GET', headers);
    const resumed = response.status === 206 && contentRangeStart(response) === offset;
    if (response.status === 416 || (response.status === 206 && !resumed)) {
      await response.body?.cancel().catch(() => undefined);
      await removeFile(incompletePath);
      return { error: brokenError(download, `the server could not resume at byte ${offset}`) };
    }
    if (response.status !== 200 && !resumed) {
      await response.body?.cancel().catch(() => undefined);
      throw statusError(connection.target, response);
    }
    let position = resumed ? offset : 0;
    report(position);
    const file = await open(incompletePath, resumed ? 'a' : 'w');
    try {
      if (response.body !== null) {
        for await (const chunk of response.body) {
          await file.write(chunk);
          position += chunk.length;
          deadline.restart();
          report(position);
        }
      }
    } catch (error) {
      const failure = transportError(
        connection.target,
        error,
        connection.signal,
        deadline.timedOut,
      );
      if (failure.code === 'ABORTED') throw failure;
      return { error: failure };
    } finally {
      await file.close();
    }
    if (size !== undefined && position < size)
      return {
        error: brokenError(download, `the connection closed after ${position} of ${size} bytes`),
      };
    return undefined;
  } finally {
    deadline.clear();
  }
}

function brokenError(download: BlobDownload, what: string): AttnError {
  return new AttnError(
    'NETWORK',
    `hubFile(): downloading ${describeTarget(download.connection.target)} failed: ${what}`,
    {
      fix: 'run again; the download resumes where it stopped',
    },
  );
}

function contentRangeStart(response: Response): number | undefined {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
