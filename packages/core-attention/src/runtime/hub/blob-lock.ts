// One download per blob at a time: callers in this process queue on a promise chain, other
// processes on a lock file created with O_EXCL that holds "<pid> <hostname>". A lock whose process
// is gone (same host), or older than an hour (another host), is taken over.
import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AttnError } from '../../errors/index.js';

const queues = new Map<string, Promise<void>>();
const pollMs = 100;
const foreignLockLifetimeMs = 60 * 60 * 1000;

/**
 * Runs `task` while holding the lock at `lockPath`, in this process and across processes.
 * Waiting ends with ABORTED when `signal` fires.
 *
 * @example
 * ```ts
 * await withBlobLock(cache.lockPath(etag), signal, async () => {
 *   if (!(await isFile(cache.blobPath(etag)))) await downloadBlob(request); // a second caller finds the blob
 * });
 * ```
 * @throws {AttnError} ABORTED when `signal` fires while waiting; whatever `task` throws.
 */
export async function withBlobLock<T>(
  lockPath: string,
  signal: AbortSignal | undefined,
  task: () => Promise<T>,
): Promise<T> {
  const previous = queues.get(lockPath) ?? Promise.resolve();
  let release = (): void => undefined;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  queues.set(lockPath, tail);
  try {
    await abortable(previous, signal, lockPath);
    await acquireFileLock(lockPath, signal);
    try {
      return await task();
    } finally {
      await unlink(lockPath).catch(() => undefined);
    }
  } finally {
    release();
    if (queues.get(lockPath) === tail) queues.delete(lockPath);
  }
}

async function acquireFileLock(lockPath: string, signal: AbortSignal | undefined): Promise<void> {
  await mkdir(dirname(lockPath), { recursive: true });
  const owner = `${process.pid} ${hostname()}`;
  for (;;) {
    try {
      await writeFile(lockPath, owner, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(lockPath)) {
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    await abortable(sleep(pollMs), signal, lockPath);
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  try {
    const [pid, host] = (await readFile(lockPath, 'utf8')).split(' ');
    if (host === hostname() && pid !== undefined && /^\d+$/.test(pid)) return !isAlive(Number(pid));
    return Date.now() - (await stat(lockPath)).mtimeMs > foreignLockLifetimeMs;
  } catch {
    return false; // released meanwhile: the next try creates it
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only checks that the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  lockPath: string,
): Promise<T> {
  if (signal === undefined) return promise;
  const aborted = (): AttnError =>
    new AttnError(
      'ABORTED',
      `hubFile(): aborted while waiting for another download of the same file (${lockPath})`,
    );
  if (signal.aborted) throw aborted();
  let onAbort = (): void => undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, stopped]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
