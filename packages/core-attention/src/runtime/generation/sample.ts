// Sampling: each token drawn from the processed distribution after temperature, top-k and top-p
// (Hugging Face's `_sample` with do_sample true), from a seeded generator.
import type { DecoderStepResult, DecoderStepper, GenerationResult } from './decoder-stepper.js';
import { decodeStepwise, drainDecoding } from './decode-stepwise.js';
import { resolveGeneration, type GenerationRequest } from './generation-settings.js';

/**
 * Draws `numReturnSequences` sequences per prompt row (in draw order, not sorted). Hugging Face's
 * defaults hold: temperature 1, topK 50, topP 1. The same `seed` with the same stepper gives the
 * same sequences; without a seed the draws come from Math.random. One generator serves the whole
 * batch, row after row, so a row's draws depend on the batch it is in.
 *
 * @example
 * ```ts
 * const first = await sample(stepper, { prompt: [[0]], maxNewTokens: 5, seed: 7, topP: 0.9 });
 * const again = await sample(stepper, { prompt: [[0]], maxNewTokens: 5, seed: 7, topP: 0.9 });
 * first.sequences[0]?.[0]?.tokens; // equals again.sequences[0]?.[0]?.tokens
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for bad options (temperature ≤ 0, topP outside (0, 1], …);
 * UNSUPPORTED with numBeams > 1; ABORTED when the signal fires; RUNTIME when a row has no finite score.
 */
export async function sample<Result extends DecoderStepResult>(
  stepper: DecoderStepper<Result>,
  request: GenerationRequest<Result>,
): Promise<GenerationResult> {
  const settings = resolveGeneration('sample', stepper, request, 'sample');
  return drainDecoding(decodeStepwise('sample', stepper, settings, request));
}
