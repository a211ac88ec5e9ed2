import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withBlobLock } from './blob-lock.js';

let folder: string;
let lockPath: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'attn-lock-'));
  lockPath = join(folder, '.locks', 'models--org--m', 'etag.attn-lock');
});
afterEach(() => rm(folder, { recursive: true, force: true }));

describe('withBlobLock', () => {
  it('runs callers for one blob one after another, and removes the lock file after', async () => {
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(`${name} start`);
      await sleep(10);
      order.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      withBlobLock(lockPath, undefined, task('a')),
      withBlobLock(lockPath, undefined, task('b')),
    ]);
    expect(results).toEqual(['a', 'b']);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('releases the lock when the task throws', async () => {
    await expect(
      withBlobLock(lockPath, undefined, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await withBlobLock(lockPath, undefined, async () => 'next')).toBe('next');
  });

  it('waits for a lock file held by a live process, and takes over one whose process has exited', async () => {
    await withBlobLock(lockPath, undefined, async () => undefined); // creates the folder
    await writeFile(lockPath, `${process.pid} ${hostname()}`); // "another process" that is alive
    let ran = false;
    const waiting = withBlobLock(lockPath, undefined, async () => (ran = true));
    await sleep(150);
    expect(ran).toBe(false);
    await rm(lockPath);
    await waiting;
    expect(ran).toBe(true);

    const exited = spawnSync(process.execPath, ['-e', '']).pid; // a pid that no longer runs
    await writeFile(lockPath, `${exited} ${hostname()}`);
    expect(await withBlobLock(lockPath, undefined, async () => 'taken over')).toBe('taken over');
  });

  it('stops waiting with ABORTED when the signal fires', async () => {
    await withBlobLock(lockPath, undefined, async () => undefined);
    await writeFile(lockPath, `${process.pid} ${hostname()}`);
    const controller = new AbortController();
    const waiting = withBlobLock(lockPath, controller.signal, async () => 'never');
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
