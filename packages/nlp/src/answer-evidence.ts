// The evidence behind an extractive answer: the self-attention of the answer's window as AttentionMaps, and what
// its start and end tokens attended to (the last layer, the mean of all layers, the rollout, or one layer or head),
// summed into context words, top words as spans.
import {
  aggregateAttention,
  aggregateHeads,
  attentionRollout,
  AttnError,
  createAttentionMaps,
  createTensor,
  poolSubwords,
  selectAttentionMaps,
  topEvidence,
  wordIdsFromOffsets,
  type AttentionMaps,
  type CharacterOffsets,
  type Tensor,
} from '@attn/core-attention';
import type { AnswerSpan } from './answer-span.js';
import type { QuestionContextWindow } from './question-context-windows.js';
import type { WeightedSpan } from './source-attribution.js';
import { wordSpans } from './text-spans.js';

/**
 * AttentionMaps of a single-row encoder run: every tapped encoder_self layer, [layer, head, token, token].
 *
 * @example
 * ```ts
 * const { attention } = await runWindow('answer', model, window);
 * windowAttention('answer', attention, window.tokens).dims; // [2, 4, 19, 19] for tiny-bert
 * ```
 * @throws {AttnError} RUNTIME when no encoder_self layer was tapped.
 */
export function windowAttention(
  fn: string,
  tapped: Map<string, Tensor<'float32'>>,
  tokens: readonly string[],
): AttentionMaps {
  const prefix = 'attn.encoder_self.';
  const layers = [...tapped.keys()]
    .filter((name) => name.startsWith(prefix))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
  if (layers.length === 0) {
    throw new AttnError(
      'RUNTIME',
      `${fn}(): the model returned no self-attention although taps were requested`,
    );
  }
  const heads = tapped.get(`${prefix}${layers[0]}`)!.dims[1] as number;
  const size = heads * tokens.length * tokens.length;
  const data = new Float32Array(layers.length * size);
  layers.forEach((layer, index) =>
    data.set(tapped.get(`${prefix}${layer}`)!.data.subarray(0, size), index * size),
  );
  return createAttentionMaps({
    kind: 'self',
    layers,
    heads: Array.from({ length: heads }, (_, head) => head),
    queryLabels: tokens,
    keyLabels: tokens,
    data,
  });
}

/**
 * Which attention the evidence reads:
 * - `'last-layer'`: the last layer's rows of the start and end tokens, heads averaged;
 * - `'mean'`: the mean over all tapped layers and heads;
 * - `'rollout'`: attention rollout through every layer (Abnar & Zuidema 2020), residual weight ½, heads averaged —
 *   what each input token contributed to the start and end positions' final states;
 * - `{ layer, head }`: one tapped layer (its number in the model, from 0), one head of it or, without `head`, its
 *   heads averaged — for a head chosen by the deletion test on held-out data.
 */
export type EvidenceSource = 'last-layer' | 'mean' | 'rollout' | { layer: number; head?: number };

/** The named evidence sources, for validation and for tools that compare them. */
export const evidenceSources: readonly Exclude<EvidenceSource, object>[] = [
  'last-layer',
  'mean',
  'rollout',
];

/** Whether `value` is an evidence source: a named one, or `{ layer, head? }` with non-negative integers. */
export function isEvidenceSource(value: unknown): value is EvidenceSource {
  if (typeof value === 'string') return (evidenceSources as readonly string[]).includes(value);
  if (typeof value !== 'object' || value === null) return false;
  const { layer, head } = value as { layer?: unknown; head?: unknown };
  const index = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 0;
  return (
    index(layer) &&
    (head === undefined || index(head)) &&
    Object.keys(value).every((key) => key === 'layer' || key === 'head')
  );
}

/** [queries.length, T]: the chosen source's weights from each query token to every key token. */
function evidenceRows(
  attention: AttentionMaps,
  source: EvidenceSource,
  queries: readonly number[],
): Float32Array {
  if (source === 'rollout') return attentionRollout(attention, { queries }).data;
  const T = attention.dims[2] as number;
  let matrix: Float32Array; // [T, T]
  if (source === 'mean') matrix = aggregateAttention(attention).data;
  else {
    const { layer, head } =
      source === 'last-layer'
        ? { layer: attention.layers.at(-1) as number, head: undefined }
        : source;
    const picked = selectAttentionMaps(attention, {
      layers: [layer],
      ...(head === undefined ? {} : { heads: [head] }),
    });
    matrix = head === undefined ? aggregateHeads(picked).data : picked.data;
  }
  const rows = new Float32Array(queries.length * T);
  queries.forEach((query, row) => rows.set(matrix.subarray(query * T, (query + 1) * T), row * T));
  return rows;
}

/**
 * The evidence spans of the answer's start and end rows (of `source`, summed into context words and renormalised
 * over the context), and per window token the mean of the two rows (the deletion test's scores).
 *
 * @example
 * ```ts
 * const { spans } = answerEvidence(maps, window, span, context, 5, 'last-layer');
 * spans.start; // [{ start: 8, end: 29, weight: 0.645… }, …]  (character offsets into the context)
 * ```
 */
export function answerEvidence(
  attention: AttentionMaps,
  window: QuestionContextWindow,
  span: AnswerSpan,
  context: string,
  evidenceWords: number,
  source: EvidenceSource,
): { spans: { start: WeightedSpan[]; end: WeightedSpan[] }; tokenScores: Float64Array } {
  const T = attention.dims[2] as number;
  // rows [2, T]: the start token's and the end token's attention
  const rows = evidenceRows(attention, source, [span.startToken, span.endToken]);
  const tokenScores = Float64Array.from(
    { length: T },
    (_, key) => ((rows[key] as number) + (rows[T + key] as number)) / 2,
  );
  const offsets = window.contextOffsets.map((pair): CharacterOffsets => pair ?? [0, 0]);
  const pooled = poolSubwords(createTensor('float32', [2, T], rows), {
    columnWordIds: wordIdsFromOffsets(context, offsets),
  }); // [2, context words], rows renormalised over the context
  const words = pooled.dims[1] as number;
  const wordOffsets = wordSpans(context)
    .slice(0, words)
    .map((word): CharacterOffsets => [word.start, word.end]);
  const spansOf = (row: number): WeightedSpan[] =>
    words === 0
      ? []
      : topEvidence(
          pooled.data.subarray(row * words, (row + 1) * words),
          wordOffsets,
          evidenceWords,
        )
          .spans.filter((evidence) => evidence.score > 0)
          .map((evidence) => ({
            start: evidence.start,
            end: evidence.end,
            weight: evidence.score,
          }));
  return { spans: { start: spansOf(0), end: spansOf(1) }, tokenScores };
}
