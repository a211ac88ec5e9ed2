import { describe, expect, it } from 'vitest';
import { fixtureModel } from '../testing/studio-inputs.js';
import type { HttpError } from './http-error.js';
import { InferencePool, type InferenceJob } from './inference-pool.js';

const job: InferenceJob = {
  input: { task: 'translate', text: 'A dog runs.' },
  model: { id: 'tiny-marian', folder: fixtureModel('tiny-marian') },
};
const never = new AbortController().signal;

function failure(promise: Promise<unknown>): Promise<HttpError> {
  return promise.then(
    () => {
      throw new Error('expected the job to fail');
    },
    (error: unknown) => error as HttpError,
  );
}

describe('InferencePool', () => {
  it('answers 500 for a job whose worker died, and keeps answering', async () => {
    const lines: string[] = [];
    // a heap too small to even load the pipelines: every worker dies of it
    const pool = new InferencePool({
      workers: 1,
      maxQueued: 1,
      jobTimeoutMs: 60_000,
      workerHeapMb: 2,
      log: (line) => lines.push(line),
    });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await failure(pool.run(job, never));
        expect([error.status, error.code]).toEqual([500, 'WORKER_FAILED']);
        expect(error.message).toMatch(
          /^the inference worker stopped \(.*\) while running this job/,
        );
        expect(error.message).toContain('2 MB heap limit');
        expect(pool.stats()).toEqual({ running: 0, queued: 0, workers: 1, capacity: 2 });
      }
      expect(lines.join('\n')).toMatch(/inference worker exited \(.*\) while running a job/);
    } finally {
      await pool.close(0);
    }
  });

  it('answers every job it holds 503 when closed, and refuses new ones', async () => {
    const pool = new InferencePool({
      workers: 1,
      maxQueued: 2,
      jobTimeoutMs: 60_000,
      log: () => undefined,
    });
    // the first job is on a worker that is still starting; the other two wait
    const jobs = [pool.run(job, never), pool.run(job, never), pool.run(job, never)].map(failure);
    expect(pool.stats()).toEqual({ running: 1, queued: 2, workers: 1, capacity: 3 });
    const refused = await failure(pool.run(job, never));
    // Retry-After: (2 waiting + this one) × 1 s, the job time assumed before any job finished, over 1 worker
    expect([refused.status, refused.code, refused.headers['Retry-After']]).toEqual([
      429,
      'QUEUE_FULL',
      '3',
    ]);
    await pool.close(0);
    for (const error of await Promise.all(jobs))
      expect([error.status, error.code]).toEqual([503, 'SHUTTING_DOWN']);
    expect((await failure(pool.run(job, never))).code).toBe('SHUTTING_DOWN');
    expect(pool.stats()).toEqual({ running: 0, queued: 0, workers: 1, capacity: 3 });
  });

  it('drops a queued job whose signal fires, without touching the running one', async () => {
    const pool = new InferencePool({
      workers: 1,
      maxQueued: 1,
      jobTimeoutMs: 60_000,
      log: () => undefined,
    });
    try {
      const running = pool.run(job, never);
      const leaving = new AbortController();
      const queued = failure(pool.run(job, leaving.signal));
      leaving.abort();
      expect(((await queued) as HttpError).code).toBe('ABORTED');
      expect(pool.stats()).toMatchObject({ running: 1, queued: 0 });
      expect(JSON.parse(await running)).toMatchObject({ task: 'translate', model: 'tiny-marian' });
    } finally {
      await pool.close(0);
    }
  });
});
