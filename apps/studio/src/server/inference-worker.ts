// The entry of an inference worker process: runs the jobs the server sends, one at a time in practice (the pool
// gives a worker one job), and answers each with its result as JSON or its error. Inference never runs in the
// server's process, so it keeps answering while a model works, and a worker that is killed or crashes takes only
// its own job with it.
import { AttnError } from '@attn/core-attention';
import { runTask } from './tasks/run-task.js';
import type { WorkerFailure, WorkerReply, WorkerRequest } from './worker-protocol.js';

const send = process.send?.bind(process);
if (send === undefined)
  throw new Error(
    'inference-worker.ts runs as a worker process of the studio server (forked with IPC)',
  );
// the server went away: nothing is left to answer
process.on('disconnect', () => process.exit(0));

const running = new Map<number, AbortController>();

process.on('message', (request: WorkerRequest) => {
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
      send(reply);
    });
});

function failure(error: unknown): WorkerFailure {
  if (AttnError.is(error)) return { code: error.code, message: error.message, attnError: true };
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { code: 'INTERNAL', message: detail, attnError: false };
}
