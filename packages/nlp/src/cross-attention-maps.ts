// The cross-attention of one generated sequence as AttentionMaps labelled with tokens: query i is the decoder
// reading its i-th input (prompt, then generated tokens), keys are the source tokens (batch padding dropped).
import { AttnError, createAttentionMaps, type AttentionMaps } from '@attn/core-attention';
import {
  sequenceAttention,
  type GeneratedSequence,
  type Seq2SeqGeneration,
  type TextTokenizer,
} from '@attn/core-attention/runtime';

/**
 * The labelled cross-attention of `sequence` from its run, and the decoder prompt it started from.
 *
 * @example
 * ```ts
 * const { attention, prompt } = crossAttentionMaps('translate', run, run.sequences[0][0], tokenizer, source.tokens);
 * attention.dims; // [layers, heads, prompt.length + tokens.length - 1, source.tokens.length]
 * ```
 * @throws {AttnError} RUNTIME when the run carries no cross-attention although taps were requested.
 */
export function crossAttentionMaps(
  pipeline: string,
  run: Seq2SeqGeneration,
  sequence: GeneratedSequence,
  tokenizer: TextTokenizer,
  sourceTokens: readonly string[],
): { attention: AttentionMaps; prompt: readonly number[] } {
  const cross = sequenceAttention(run.stepResults, sequence, 'cross');
  if (cross === undefined) {
    throw new AttnError(
      'RUNTIME',
      `${pipeline}(): the decoder returned no cross-attention although taps were requested`,
    );
  }
  const prompt = run.stepResults[0]?.inputIds[0] ?? [];
  const attention = createAttentionMaps({
    kind: 'cross',
    layers: cross.layers,
    heads: Array.from({ length: cross.heads }, (_, head) => head),
    queryLabels: [...prompt, ...sequence.tokens.slice(0, -1)].map(
      (id) => tokenizer.idToToken(id) ?? `<${id}>`,
    ),
    keyLabels: sourceTokens,
    data: trimKeys(
      cross.data,
      cross.layers.length * cross.heads * cross.queries,
      cross.keys,
      sourceTokens.length,
    ),
  });
  return { attention, prompt };
}

/** Keeps the first `keep` of every `keys`-long row (drops the padding of shorter sources in a batch). */
function trimKeys(data: Float32Array, rows: number, keys: number, keep: number): Float32Array {
  if (keep === keys) return data;
  const trimmed = new Float32Array(rows * keep);
  for (let row = 0; row < rows; row++)
    trimmed.set(data.subarray(row * keys, row * keys + keep), row * keep);
  return trimmed;
}
