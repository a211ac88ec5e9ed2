// The onnxruntime session options attn uses unless told otherwise: every core of the machine for one operator,
// full graph optimisation, CPU, and onnxruntime's own log limited to errors (a library does not print).
import { availableParallelism } from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';

/**
 * Default session options merged with `overrides` (overrides win, `extra` merged one level deep).
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
  };
  const extra = {
    ...(defaults.extra as object | undefined),
    ...(overrides.extra as object | undefined),
  };
  return { ...defaults, ...overrides, ...(Object.keys(extra).length > 0 ? { extra } : {}) };
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
