// The messages between the server's thread and an inference worker: a job to run or abort, and its result as
// the response body, already JSON, so the server's thread never serialises a large result.
import type { TaskInput } from './task-input.js';

/** Server → worker. */
export type WorkerRequest =
  | { type: 'run'; id: number; input: TaskInput; model: { id: string; folder: string } }
  | { type: 'abort'; id: number };

/** Worker → server: the JSON body of a result, or what went wrong. */
export type WorkerReply =
  { type: 'done'; id: number; json: string } | { type: 'failed'; id: number; error: WorkerFailure };

/** An error carried across threads: an AttnError's code and message, or INTERNAL with the detail for the log. */
export interface WorkerFailure {
  code: string;
  message: string;
  /** Whether it was an AttnError (a known failure) or anything else (a bug; `message` holds the stack). */
  attnError: boolean;
}
