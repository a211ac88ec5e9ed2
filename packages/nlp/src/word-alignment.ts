// Word alignment from a translation's cross-attention: heads and layers averaged, subwords pooled
// into words (target rows averaged, source columns summed), then argmax or itermax links.
import {
  aggregateAttention,
  argmaxAlignment,
  itermaxAlignment,
  poolSubwords,
  shiftTargetRows,
  type AlignmentLink,
  type AttentionMaps,
} from '@attn/core-attention';

/** How {@link wordAlignment} reads the cross-attention. */
export interface WordAlignmentOptions {
  /** 'argmax' links every target word to its best source word; 'itermax' (SimAlign) links words mutually. Default 'argmax'. */
  method?: 'argmax' | 'itermax';
  /**
   * Read target word i where the decoder *reads* it as input (one step after producing it) instead of where it
   * produces it. Default false.
   */
  shift?: boolean;
  /** Layers to average (original indices). Default all tapped layers. */
  layers?: readonly number[];
  /** Heads to average. Default all. */
  heads?: readonly number[];
}

/**
 * Word-level links between a source sentence and its translation. Query row i of `attention` is the decoder
 * reading its i-th input (start token, then target tokens) while producing target token i.
 *
 * @example
 * ```ts
 * // attention over source tokens ['▁Ein', '▁Hund', '</s>'] for target tokens ['▁A', '▁dog', '</s>']
 * wordAlignment(maps, [0, 1, null], [0, 1, null]);
 * // [{ source: 0, target: 0, weight: 0.9 }, { source: 1, target: 1, weight: 0.8 }]
 * ```
 */
export function wordAlignment(
  attention: AttentionMaps,
  sourceWordIds: readonly (number | null)[],
  targetWordIds: readonly (number | null)[],
  options: WordAlignmentOptions = {},
): AlignmentLink[] {
  const layerSelection = options.layers === undefined ? {} : { layers: { select: options.layers } };
  const headSelection = options.heads === undefined ? {} : { heads: { select: options.heads } };
  let matrix = aggregateAttention(attention, { ...layerSelection, ...headSelection });
  let targets = targetWordIds.slice(0, matrix.dims[0]);
  if (options.shift === true) {
    matrix = shiftTargetRows(matrix);
    targets = targetWordIds.slice(0, matrix.dims[0]);
  }
  const pooled = poolSubwords(matrix, { rowWordIds: targets, columnWordIds: sourceWordIds });
  return options.method === 'itermax' ? itermaxAlignment(pooled) : argmaxAlignment(pooled);
}
