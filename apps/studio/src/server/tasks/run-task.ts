// One job on a worker: the task's pipeline on its model folder.
import type { TaskResult } from '../../api/studio-api.js';
import type { TaskInput } from '../task-input.js';
import { detectTask, segmentTask, transcribeTask } from './media-tasks.js';
import {
  answerTask,
  chatTask,
  summarizeTask,
  translateTask,
  type TaskOutput,
} from './text-tasks.js';

/**
 * Runs `input`'s task on the model in `folder`.
 *
 * @example
 * ```ts
 * const output = await runTask({ task: 'translate', text: 'A dog runs.' }, '/repo/models/mt-en-de', signal);
 * output.task; // 'translate'
 * ```
 * @throws {AttnError} whatever the task's pipeline throws; ABORTED when `signal` fires.
 */
export function runTask(
  input: TaskInput,
  folder: string,
  signal: AbortSignal,
): Promise<TaskOutput<TaskResult>> {
  switch (input.task) {
    case 'translate':
      return translateTask(input, folder, signal);
    case 'summarize':
      return summarizeTask(input, folder, signal);
    case 'answer':
      return answerTask(input, folder, signal);
    case 'chat':
      return chatTask(input, folder, signal);
    case 'detect':
      return detectTask(input, folder, signal);
    case 'segment':
      return segmentTask(input, folder, signal);
    case 'transcribe':
      return transcribeTask(input, folder, signal);
  }
}
