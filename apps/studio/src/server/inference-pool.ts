// A fixed set of inference worker processes behind a bounded FIFO queue. Jobs beyond workers + maxQueued are refused
// at once (429 with Retry-After) instead of piling up; each job has a time limit counted from its arrival; a job
// whose client left is dropped from the queue or aborted on its worker; a worker that dies, or ignores an abort for
// longer than `abortGraceMs`, is replaced by a fresh one on the next job. Workers are child processes, not threads:
// stopping one in the middle of onnxruntime's native code, or a native crash inside one, cannot take the server down.
import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttnErrorCode } from '@attn/core-attention';
import { HttpError, statusOfAttnCode } from './http-error.js';
import type { TaskInput } from './task-input.js';
import type { WorkerFailure, WorkerReply, WorkerRequest } from './worker-protocol.js';

export interface InferencePoolOptions {
  /** Worker processes, each running one job at a time. */
  workers: number;
  /** Jobs that may wait for a worker; one more is refused with 429. */
  maxQueued: number;
  /** A job's time limit from its arrival, queueing included; past it the client gets 504. */
  jobTimeoutMs: number;
  /** How long a worker may take to stop an aborted job before it is killed. Default 5000. */
  abortGraceMs?: number;
  /** Each worker's JavaScript heap limit (onnxruntime's own memory is outside it). Default 1536. */
  workerHeapMb?: number;
  /** Where the pool reports worker failures (lines without a newline). */
  log: (line: string) => void;
}

/** A job: the task input and the model folder it runs on. */
export interface InferenceJob {
  input: TaskInput;
  model: { id: string; folder: string };
}

/** What the pool is doing. */
export interface PoolStats {
  running: number;
  queued: number;
  workers: number;
  capacity: number;
}

interface PendingJob {
  id: number;
  job: InferenceJob;
  arrived: number;
  resolve: (json: string) => void;
  reject: (error: HttpError) => void;
  /** Set once the job is answered (result, error, abort or timeout); a late reply is then only bookkeeping. */
  settled: boolean;
  cleanup: () => void;
}

interface Slot {
  worker: ChildProcess | undefined;
  job: PendingJob | undefined;
  killTimer: NodeJS.Timeout | undefined;
}

/** The worker's entry beside this file: .ts when the server runs from its sources (tsx), .js once built. */
const workerEntry = new URL(
  `./inference-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/**
 * The worker pool of the studio server.
 *
 * @example
 * ```ts
 * const pool = new InferencePool({ workers: 1, maxQueued: 8, jobTimeoutMs: 120_000, log: console.error });
 * const json = await pool.run({ input: { task: 'translate', text: 'A dog runs.' }, model }, request.signal);
 * pool.stats(); // { running: 0, queued: 0, workers: 1, capacity: 9 }
 * await pool.close();
 * ```
 */
export class InferencePool {
  private readonly options: Required<InferencePoolOptions>;
  private readonly slots: Slot[];
  private readonly queue: PendingJob[] = [];
  private nextId = 1;
  private closed = false;
  /** Exponential moving average of job durations, for Retry-After. */
  private averageJobMs = 1000;

  constructor(options: InferencePoolOptions) {
    this.options = { abortGraceMs: 5000, workerHeapMb: 1536, ...options };
    this.slots = Array.from({ length: options.workers }, () => ({
      worker: undefined,
      job: undefined,
      killTimer: undefined,
    }));
  }

  /**
   * Queues `job` and resolves with its result's JSON.
   *
   * @example
   * ```ts
   * const json = await pool.run(job, AbortSignal.timeout(1000));
   * ```
   * @throws {HttpError} 429 QUEUE_FULL (with Retry-After) when the pool holds `workers + maxQueued` jobs; 503
   * SHUTTING_DOWN after close(); 504 TIMEOUT past the time limit; 503 ABORTED when `signal` fires; the job's
   * AttnError with its status; 500 for a worker that failed.
   */
  run(job: InferenceJob, signal: AbortSignal): Promise<string> {
    if (this.closed)
      return Promise.reject(
        new HttpError(
          503,
          'SHUTTING_DOWN',
          'the studio is shutting down; try again once it is back',
        ),
      );
    const stats = this.stats();
    if (stats.running + stats.queued >= stats.capacity) {
      const retryAfter = Math.max(
        1,
        Math.ceil(((stats.queued + 1) * this.averageJobMs) / stats.workers / 1000),
      );
      return Promise.reject(
        new HttpError(
          429,
          'QUEUE_FULL',
          `the studio is busy: ${stats.running} jobs are running and ${stats.queued} waiting, its limit. Fix: try again in ${retryAfter} s`,
          { 'Retry-After': String(retryAfter) },
        ),
      );
    }
    return new Promise<string>((resolve, reject) => {
      const pending: PendingJob = {
        id: this.nextId++,
        job,
        arrived: performance.now(),
        resolve,
        reject,
        settled: false,
        cleanup: () => undefined,
      };
      const timer = setTimeout(
        () =>
          this.cancel(
            pending,
            new HttpError(
              504,
              'TIMEOUT',
              `the job ran past the studio's limit of ${this.options.jobTimeoutMs / 1000} s. Fix: send a shorter input, or start the studio with a larger --timeout`,
            ),
          ),
        this.options.jobTimeoutMs,
      );
      const onAbort = (): void =>
        this.cancel(pending, new HttpError(503, 'ABORTED', 'the request was cancelled'));
      signal.addEventListener('abort', onAbort, { once: true });
      pending.cleanup = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      if (signal.aborted) return onAbort();
      this.queue.push(pending);
      this.dispatch();
    });
  }

  /**
   * Jobs running and waiting, workers, and how many jobs the pool holds at most.
   *
   * @example
   * ```ts
   * pool.stats(); // { running: 1, queued: 2, workers: 1, capacity: 9 }
   * ```
   */
  stats(): PoolStats {
    return {
      running: this.slots.filter((slot) => slot.job !== undefined).length,
      queued: this.queue.length,
      workers: this.slots.length,
      capacity: this.slots.length + this.options.maxQueued,
    };
  }

  /**
   * Refuses new jobs, answers the waiting ones 503, gives running ones `graceMs` to finish, then stops the workers.
   *
   * @example
   * ```ts
   * await pool.close(5000);
   * ```
   */
  async close(graceMs = 5000): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0))
      this.settle(pending, new HttpError(503, 'SHUTTING_DOWN', 'the studio is shutting down'));
    const deadline = performance.now() + graceMs;
    while (this.stats().running > 0 && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all(
      this.slots.map(async (slot) => {
        clearTimeout(slot.killTimer);
        if (slot.job !== undefined)
          this.settle(slot.job, new HttpError(503, 'SHUTTING_DOWN', 'the studio is shutting down'));
        const worker = slot.worker;
        slot.worker = undefined;
        slot.job = undefined;
        if (worker !== undefined) await stopWorker(worker);
      }),
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job !== undefined) continue;
      const pending = this.queue.shift()!;
      slot.worker ??= this.spawn(slot);
      slot.job = pending;
      const { input, model } = pending.job;
      const request: WorkerRequest = { type: 'run', id: pending.id, input, model };
      slot.worker.send(request);
    }
  }

  private spawn(slot: Slot): ChildProcess {
    const worker = startWorker(this.options.workerHeapMb);
    worker.on('message', (reply: WorkerReply) => this.finish(slot, worker, reply));
    worker.on('error', (error: Error) => {
      this.options.log(`inference worker failed: ${error.stack ?? error.message}`);
    });
    worker.on('exit', (code, signal) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      clearTimeout(slot.killTimer);
      const pending = slot.job;
      slot.job = undefined;
      this.options.log(
        `inference worker exited (${signal ?? `exit code ${code}`}) while running a job`,
      );
      const what = `stopped (${signal ?? `exit code ${code}`}) while running this job; the next job gets a new worker. The server's log has the cause (a worker over its ${this.options.workerHeapMb} MB heap limit stops too: send a smaller input)`;
      if (pending !== undefined)
        this.settle(pending, new HttpError(500, 'WORKER_FAILED', `the inference worker ${what}`));
      this.dispatch();
    });
    return worker;
  }

  private finish(slot: Slot, worker: ChildProcess, reply: WorkerReply): void {
    const pending = slot.job;
    if (slot.worker !== worker || pending === undefined || pending.id !== reply.id) return;
    clearTimeout(slot.killTimer);
    slot.job = undefined;
    const elapsed = performance.now() - pending.arrived;
    this.averageJobMs = 0.8 * this.averageJobMs + 0.2 * elapsed;
    if (reply.type === 'done') {
      if (!pending.settled) {
        pending.settled = true;
        pending.cleanup();
        pending.resolve(reply.json);
      }
    } else {
      if (!reply.error.attnError) this.options.log(`inference job failed: ${reply.error.message}`);
      this.settle(pending, failureError(reply.error));
    }
    this.dispatch();
  }

  /** Answers `pending` with `error` now; a queued job leaves the queue, a running one is aborted on its worker. */
  private cancel(pending: PendingJob, error: HttpError): void {
    if (pending.settled) return;
    this.settle(pending, error);
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      return;
    }
    const slot = this.slots.find((candidate) => candidate.job === pending);
    if (slot?.worker === undefined) return;
    const request: WorkerRequest = { type: 'abort', id: pending.id };
    slot.worker.send(request);
    const worker = slot.worker;
    // a model step that never returns must not hold the worker forever
    slot.killTimer = setTimeout(() => {
      if (slot.worker !== worker || slot.job !== pending) return;
      this.options.log(
        `inference worker ignored an abort for ${this.options.abortGraceMs} ms; replacing it`,
      );
      worker.kill('SIGKILL');
    }, this.options.abortGraceMs);
  }

  private settle(pending: PendingJob, error: HttpError): void {
    if (pending.settled) return;
    pending.settled = true;
    pending.cleanup();
    pending.reject(error);
  }
}

function failureError(failure: WorkerFailure): HttpError {
  if (!failure.attnError)
    return new HttpError(
      500,
      'INTERNAL',
      'the job failed unexpectedly (a bug in attn; the server log has the details)',
    );
  const status = statusOfAttnCode[failure.code as AttnErrorCode] ?? 500;
  return new HttpError(status, failure.code, failure.message);
}

/**
 * A worker process on the entry beside this file, talking over IPC with the V8 serializer (typed arrays and buffers
 * arrive as such). From TypeScript sources it runs under tsx, as the server does.
 */
function startWorker(heapMb: number): ChildProcess {
  const execArgv = [`--max-old-space-size=${heapMb}`];
  if (!workerEntry.pathname.endsWith('.js')) execArgv.push('--import', import.meta.resolve('tsx'));
  return fork(fileURLToPath(workerEntry), [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Ends a worker: SIGTERM, then SIGKILL if it has not exited within a second. */
async function stopWorker(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.kill('SIGTERM');
  const timer = setTimeout(() => worker.kill('SIGKILL'), 1000);
  await exited;
  clearTimeout(timer);
}
