// One stepper call as every search makes it: abort checks around it, the result's shape checked,
// the `onStep` hook told.
import { AttnError, describeValue, shapeMismatch } from '../../errors/index.js';
import type { DecoderStepResult, DecoderStepper } from './decoder-stepper.js';
import type { GenerationRequest } from './generation-settings.js';

/**
 * Calls `stepper.step` unless `request.signal` has fired, checks that the logits are [rows, vocab],
 * and passes the result to `request.onStep`.
 *
 * @example
 * ```ts
 * const result = await runStep('greedySearch', stepper, [[0]], undefined, 0, {}); // result.logits: [1, vocab]
 * ```
 * @throws {AttnError} ABORTED when the signal fired before or during the call; SHAPE_MISMATCH when
 * the stepper returns logits of the wrong size.
 */
export async function runStep<Result extends DecoderStepResult>(
  fn: string,
  stepper: DecoderStepper<Result>,
  inputIds: number[][],
  beamRows: number[] | undefined,
  step: number,
  request: GenerationRequest<Result>,
): Promise<Result> {
  throwIfAborted(fn, request.signal, step);
  const result = await stepper.step(inputIds, beamRows);
  throwIfAborted(fn, request.signal, step + 1);
  const expected = inputIds.length * stepper.vocabSize;
  if (!(result?.logits instanceof Float32Array) || result.logits.length !== expected) {
    const actual =
      result?.logits instanceof Float32Array
        ? `${result.logits.length} values`
        : describeValue(result?.logits);
    throw shapeMismatch(
      fn,
      'stepper logits',
      `[${inputIds.length}, ${stepper.vocabSize}] (${expected} values)`,
      actual,
    );
  }
  request.onStep?.({ step, inputIds, beamRows, result });
  return result;
}

/**
 * The error for a row whose every token scores -Infinity or NaN, so nothing can be chosen.
 *
 * @example
 * ```ts
 * noFiniteToken('greedySearch', 1, 0).code; // 'RUNTIME'
 * ```
 */
export function noFiniteToken(fn: string, row: number, step: number): AttnError {
  return new AttnError(
    'RUNTIME',
    `${fn}(): no token of row ${row} has a finite score at step ${step}`,
    {
      likelyCause:
        'suppressTokens, badWordsIds or forced tokens exclude every token, or the model returned NaN or -Infinity logits',
      fix: 'check the token options against the vocabulary, and the model outputs for NaN',
    },
  );
}

function throwIfAborted(fn: string, signal: AbortSignal | undefined, steps: number): void {
  if (signal?.aborted) {
    throw new AttnError(
      'ABORTED',
      `${fn}(): aborted after ${steps} decoder step${steps === 1 ? '' : 's'}`,
      {
        cause: signal.reason,
      },
    );
  }
}
