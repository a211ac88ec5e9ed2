// The entry of an inference worker thread: runs the jobs the server posts, one at a time in practice (the pool
// gives a worker one job), and answers each with its result as JSON or its error. Inference never runs on the
// server's thread, so it keeps answering while a model works.
import { parentPort } from 'node:worker_threads';
import { AttnError } from '@attn/core-attention';
import { runTask } from './tasks/run-task.js';
import type { WorkerFailure, WorkerReply, WorkerRequest } from './worker-protocol.js';

const port = parentPort;
if (port === null)
  throw new Error('inference-worker.ts runs as a worker thread of the studio server');

const running = new Map<number, AbortController>();

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'abort') {
    running.get(request.id)?.abort(new AttnError('ABORTED', 'the job was cancelled'));
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  const started = performance.now();
  runTask(request.input, request.model.folder, controller.signal)
    .then(
      (output): WorkerReply => ({
        type: 'done',
        id: request.id,
        json: JSON.stringify({
          ...output,
          model: request.model.id,
          elapsedMs: Math.round(performance.now() - started),
        }),
      }),
      (error: unknown): WorkerReply => ({ type: 'failed', id: request.id, error: failure(error) }),
    )
    .then((reply) => {
      running.delete(request.id);
      port.postMessage(reply);
    });
});

function failure(error: unknown): WorkerFailure {
  if (AttnError.is(error)) return { code: error.code, message: error.message, attnError: true };
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { code: 'INTERNAL', message: detail, attnError: false };
}
