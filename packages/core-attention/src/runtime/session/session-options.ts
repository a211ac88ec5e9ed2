// The onnxruntime session options attn uses unless told otherwise: every core of the machine for one operator,
// full graph optimisation, CPU, onnxruntime's own log limited to errors (a library does not print), and operator
// threads that spin only while a run lasts.
import { availableParallelism } from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';
import { describeValue, invalidArgument } from '../../errors/index.js';

/** onnxruntime-node's session options, as the pipelines and model loaders take them. */
export type SessionOptions = InferenceSession.SessionOptions;

/**
 * Default session options merged with `overrides` by {@link mergeSessionOptions}.
 *
 * The operator threads spin while a run lasts and stop when it ends (`session.intra_op.allow_spinning` '1',
 * `session.force_spinning_stop` '1'): between the operators of a run a spinning thread takes the next one at once,
 * where a sleeping one pays a wake-up per operator, which one-row decoding of a small model feels most; after the
 * run the threads stop, so they do not keep a core from the JavaScript thread, which works between runs (logits,
 * search, attention), nor from other sessions. `tools/bench/src/session-threads.ts` measures the choice on a machine
 * (against sleeping threads, threads that keep spinning after a run, and one thread; for one sentence and for a
 * batch; `--isolated` for each setting in processes of its own).
 *
 * @example
 * ```ts
 * sessionOptions().graphOptimizationLevel; // 'all'
 * sessionOptions({ intraOpNumThreads: 1 }).intraOpNumThreads; // 1
 * sessionOptions().intraOpNumThreads === os.availableParallelism(); // true
 * ```
 */
export function sessionOptions(
  overrides: InferenceSession.SessionOptions = {},
): InferenceSession.SessionOptions {
  const defaults: InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: availableParallelism(),
    interOpNumThreads: 1,
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: '1' }, force_spinning_stop: '1' } },
  };
  return mergeSessionOptions(defaults, overrides);
}

/**
 * `overrides` over `base`: objects merged at every depth — above all `extra`, onnxruntime's configuration entries
 * nested by the dots of their keys, so that one entry can be set without dropping the others — and other values
 * (numbers, strings, arrays such as `executionProviders`) replaced. An option given as undefined keeps the base's
 * value (as if left out: cache keys leave undefined out too).
 *
 * @example
 * ```ts
 * mergeSessionOptions(
 *   { logSeverityLevel: 3, extra: { session: { intra_op: { allow_spinning: '0' } } } },
 *   { extra: { session: { use_env_allocators: '1' } } },
 * ); // { logSeverityLevel: 3, extra: { session: { intra_op: { allow_spinning: '0' }, use_env_allocators: '1' } } }
 * ```
 */
export function mergeSessionOptions(
  base: InferenceSession.SessionOptions = {},
  overrides: InferenceSession.SessionOptions = {},
): InferenceSession.SessionOptions {
  return mergeEntries(base, overrides) as InferenceSession.SessionOptions;
}

/**
 * Throws unless `value` is undefined or an object (session options); onnxruntime checks the options themselves when it
 * creates the session.
 *
 * @throws {AttnError} INVALID_ARGUMENT naming `fn` and `argument`.
 * @example
 * ```ts
 * checkSessionOptions('translate', 'sessionOptions', { intraOpNumThreads: 1 }); // passes
 * checkSessionOptions('translate', 'sessionOptions', 1); // throws: translate(): sessionOptions must be an object …
 * ```
 */
export function checkSessionOptions(fn: string, argument: string, value: unknown): void {
  if (value !== undefined && !isEntries(value)) {
    throw invalidArgument(
      fn,
      argument,
      "an object of onnxruntime-node's InferenceSession.SessionOptions (e.g. { intraOpNumThreads: 1 })",
      describeValue(value),
    );
  }
}

/** `overrides` over `base`, objects merged at every depth; undefined values left out. */
function mergeEntries(base: unknown, overrides: unknown): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((base ?? {}) as Record<string, unknown>))
    if (value !== undefined) merged[key] = value;
  for (const [key, value] of Object.entries((overrides ?? {}) as Record<string, unknown>)) {
    if (value === undefined) continue;
    merged[key] =
      isEntries(value) && isEntries(merged[key]) ? mergeEntries(merged[key], value) : value;
  }
  return merged;
}

function isEntries(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A string equal for equal options whatever their key order, to key a session cache by.
 *
 * @example
 * ```ts
 * optionsKey({ a: 1, b: { c: 2, d: 3 } }) === optionsKey({ b: { d: 3, c: 2 }, a: 1 }); // true
 * ```
 */
export function optionsKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(optionsKey).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, entry]) => entry !== undefined,
    );
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, entry]) => `${JSON.stringify(key)}:${optionsKey(entry)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
