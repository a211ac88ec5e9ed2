// The processor chain of one decoding step, in Hugging Face's order (`_get_logits_processor`):
// repetition penalty, no-repeat n-gram, bad words, minimum length, forced BOS, forced EOS,
// suppressed tokens, suppressed-at-begin tokens; then, when sampling, temperature, top-k, top-p.
import type { GenerationSettings } from './generation-settings.js';
import {
  applyRepetitionPenalty,
  banBadWords,
  banRepeatedNgrams,
  forceTokens,
  suppressTokens,
} from './logits-processors.js';
import { applyTemperature, applyTopK, applyTopP } from './logits-warpers.js';

/**
 * Applies the processors `settings` turn on to one row of scores, in place. `sequence` is the
 * row's prompt plus its generated tokens, `generated` how many of them are new. Greedy search and
 * sampling pass raw logits; beam search passes log-probabilities, as Hugging Face does.
 *
 * @example
 * ```ts
 * // eos (2) is suppressed while fewer than minNewTokens tokens exist
 * processLogits(new Float32Array([0, 1, 2]), [0], 0, { ...settings, eosTokenIds: [2], minNewTokens: 1 });
 * // Float32Array [0, 1, -Infinity]
 * ```
 */
export function processLogits(
  scores: Float32Array,
  sequence: readonly number[],
  generated: number,
  settings: GenerationSettings,
): Float32Array {
  if (settings.repetitionPenalty !== 1)
    applyRepetitionPenalty(scores, sequence, settings.repetitionPenalty);
  if (settings.noRepeatNgramSize > 0)
    banRepeatedNgrams(scores, sequence, settings.noRepeatNgramSize);
  if (settings.badWordsIds.length > 0) banBadWords(scores, sequence, settings.badWordsIds);
  if (generated < settings.minNewTokens) suppressTokens(scores, settings.eosTokenIds);
  if (generated === 0 && settings.forcedBosTokenIds.length > 0)
    forceTokens(scores, settings.forcedBosTokenIds);
  if (generated === settings.maxNewTokens - 1 && settings.forcedEosTokenIds.length > 0) {
    forceTokens(scores, settings.forcedEosTokenIds);
  }
  suppressTokens(scores, settings.suppressTokens);
  if (generated === 0) suppressTokens(scores, settings.beginSuppressTokens);
  return scores;
}

/**
 * Applies the sampling warpers (temperature, top-k, top-p) to one row of logits, in place.
 *
 * @example
 * ```ts
 * warpLogits(new Float32Array([1, 3, 2]), { ...settings, temperature: 0.5, topK: 2, topP: 1 });
 * // Float32Array [-Infinity, 6, 4]
 * ```
 */
export function warpLogits(logits: Float32Array, settings: GenerationSettings): Float32Array {
  if (settings.temperature !== 1) applyTemperature(logits, settings.temperature);
  if (settings.topK > 0) applyTopK(logits, settings.topK);
  if (settings.topP < 1) applyTopP(logits, settings.topP);
  return logits;
}
