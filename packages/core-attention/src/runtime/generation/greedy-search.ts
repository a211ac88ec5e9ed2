// Greedy decoding: the most likely token at every step (Hugging Face's `_sample` with
// do_sample false), batched, finished rows padded.
import type { DecoderStepResult, DecoderStepper, GenerationResult } from './decoder-stepper.js';
import { decodeStepwise, drainDecoding } from './decode-stepwise.js';
import { resolveGeneration, type GenerationRequest } from './generation-settings.js';

/**
 * Decodes every prompt row greedily until it emits an eos id or reaches the length budget. Logits
 * processors run on the raw logits; each sequence's score is the sum of its tokens'
 * log-probabilities after processing.
 *
 * @example
 * ```ts
 * const stepper: DecoderStepper = {
 *   vocabSize: 3,
 *   async step(inputIds) {
 *     return { logits: new Float32Array(inputIds.flatMap(() => [0, 0, 1])) }; // prefers token 2
 *   },
 * };
 * const result = await greedySearch(stepper, { prompt: [[0]], maxNewTokens: 3, eosTokenId: 2 });
 * result.sequences[0]?.[0]; // { tokens: [2], finishReason: 'eos', rows: [0], score: log(e / (2 + e)) ≈ -0.5514 }
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for bad options (or numBeams > 1 / doSample: use
 * beamSearch / sample); ABORTED when the signal fires; RUNTIME when a row has no finite score.
 */
export async function greedySearch<Result extends DecoderStepResult>(
  stepper: DecoderStepper<Result>,
  request: GenerationRequest<Result>,
): Promise<GenerationResult> {
  const settings = resolveGeneration('greedySearch', stepper, request, 'greedy');
  return drainDecoding(decodeStepwise('greedySearch', stepper, settings, request));
}
