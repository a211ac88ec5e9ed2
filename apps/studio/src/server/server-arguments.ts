// The studio's command line: `attn-studio [--host H] [--port P] [--workers N] [--queue N] [--max-upload-mb N]
// [--timeout S] [--model task=attn/<name>|folder]... [--ui-root DIR]`, parsed into StudioServerOptions.
import { parseArgs } from 'node:util';
import { describeValue, invalidArgument } from '@attn/core-attention';
import { studioTasks, type StudioTask } from '../api/studio-api.js';
import type { StudioServerOptions } from './start-studio-server.js';

/** --help. */
export const serverUsage = `usage: studio [options]

  --host <address>       address to bind (default 127.0.0.1; anything else exposes the studio to the network)
  --port <n>             port (default 4500; 0 picks a free one and prints it)
  --workers <n>          inference worker processes (default 1)
  --queue <n>            jobs that may wait for a worker; more are answered 429 (default 8)
  --max-upload-mb <n>    largest image or WAV upload in MiB (default 10)
  --timeout <seconds>    a job's time limit, queueing included (default 120)
  --model <task>=<model> a model the task offers: attn/<name> or a model folder; repeat for more, the first
                         given for a task is its default (default: the shipped model of each task)
  --ui-root <dir>        the built UI (default dist/ui)
  --help                 this text

tasks: ${studioTasks.join(', ')}`;

/**
 * The server options of a command line, or 'help'.
 *
 * @example
 * ```ts
 * serverArguments(['--port', '0', '--model', 'detect=./tiny-detr']);
 * // { host: '127.0.0.1', port: 0, models: { detect: ['./tiny-detr'] } }
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for an unknown flag, a value that is not a number in range, or a --model
 * that is not <task>=<model> with a task the studio runs.
 */
export function serverArguments(args: readonly string[]): StudioServerOptions | 'help' {
  const fn = 'studio';
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string' },
        workers: { type: 'string' },
        queue: { type: 'string' },
        'max-upload-mb': { type: 'string' },
        timeout: { type: 'string' },
        model: { type: 'string', multiple: true },
        'ui-root': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw invalidArgument(
      fn,
      'the command line',
      'the options of --help',
      (error as Error).message,
    );
  }
  if (values.help === true) return 'help';
  const number = (name: string, min: number, max: number): number | undefined => {
    const text = (values as Record<string, unknown>)[name] as string | undefined;
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!(Number.isFinite(value) && value >= min && value <= max) || text.trim() === '')
      throw invalidArgument(fn, `--${name}`, `a number in [${min}, ${max}]`, describeValue(text));
    return value;
  };
  const integer = (name: string, min: number, max: number): number | undefined => {
    const value = number(name, min, max);
    if (value !== undefined && !Number.isInteger(value))
      throw invalidArgument(fn, `--${name}`, 'an integer', describeValue(value));
    return value;
  };
  const options: StudioServerOptions = { host: values.host };
  const port = integer('port', 0, 65535);
  const workers = integer('workers', 1, 64);
  const maxQueued = integer('queue', 0, 10_000);
  const uploadMb = number('max-upload-mb', 0.001, 4096);
  const timeout = number('timeout', 1, 86_400);
  if (port !== undefined) options.port = port;
  if (workers !== undefined) options.workers = workers;
  if (maxQueued !== undefined) options.maxQueued = maxQueued;
  if (uploadMb !== undefined) options.maxUploadBytes = Math.round(uploadMb * 1024 * 1024);
  if (timeout !== undefined) options.jobTimeoutMs = timeout * 1000;
  if (values['ui-root'] !== undefined) options.uiRoot = values['ui-root'];
  if (values.model !== undefined) {
    const models: Partial<Record<StudioTask, string[]>> = {};
    for (const spec of values.model) {
      const [task, model] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
      if (!spec.includes('=') || !(studioTasks as readonly string[]).includes(task) || model === '')
        throw invalidArgument(
          fn,
          '--model',
          `<task>=<attn/name or folder> with a task among ${studioTasks.join(', ')}`,
          describeValue(spec),
        );
      (models[task as StudioTask] ??= []).push(model);
    }
    options.models = models;
  }
  return options;
}
