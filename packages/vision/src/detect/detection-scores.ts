// DETR's class of each object query (Carion et al. 2020, https://arxiv.org/abs/2005.12872, section 3.1): a
// softmax over its num_labels + 1 logits, the last class meaning "no object"; the query's label is its most
// probable real class, with that probability as the score (transformers' post_process_object_detection).
//
// Legend: logits [Q, C] for Q object queries and C = K + 1 classes (K labels, then no-object).
import { describeValue, invalidArgument } from '@attn/core-attention';

/** The label an object query votes for and how probable it is. */
export interface QueryClass {
  /** Index into id2label, in [0, K). */
  readonly labelId: number;
  /** softmax(logits)[labelId], the no-object class included in the softmax. */
  readonly score: number;
}

/**
 * The class and score of every object query. The softmax runs over all C classes (no-object included);
 * the label is the arg-max over the first K = C - 1 (the lowest index on ties). A query whose most probable
 * class is no-object therefore gets a score of at most 0.5, so any threshold of 0.5 or more drops it, as
 * transformers.js does at every threshold.
 *
 * @example
 * ```ts
 * // Two queries, two labels + no-object. Query 0: logits [2, 0, 0], softmax e^2 / (e^2 + 2) for label 0.
 * // Query 1: no-object wins (logit 3), but the label is still the best real class, 1, with e^1 / (1 + e + e^3).
 * detectionScores(new Float32Array([2, 0, 0, 0, 1, 3]), 2, 3);
 * // [{ labelId: 0, score: 0.7869860421615984 }, { labelId: 1, score: 0.11419519938459449 }]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `numClasses` is below 2 or `logits` is not a Float32Array of
 * numQueries x numClasses.
 */
export function detectionScores(
  logits: Float32Array,
  numQueries: number,
  numClasses: number,
): QueryClass[] {
  const fn = 'detectionScores';
  if (!Number.isInteger(numClasses) || numClasses < 2)
    throw invalidArgument(
      fn,
      'numClasses',
      'an integer of at least 2 (labels + no-object)',
      describeValue(numClasses),
    );
  if (!Number.isInteger(numQueries) || numQueries < 0)
    throw invalidArgument(fn, 'numQueries', 'a non-negative integer', describeValue(numQueries));
  if (!(logits instanceof Float32Array) || logits.length !== numQueries * numClasses) {
    const expected = `a Float32Array of numQueries x numClasses = ${numQueries * numClasses} values`;
    throw invalidArgument(fn, 'logits', expected, describeValue(logits));
  }
  const K = numClasses - 1;
  const classes: QueryClass[] = [];
  for (let q = 0; q < numQueries; q++) {
    const row = q * numClasses;
    // subtract the row max before exp so large logits cannot overflow
    let max = -Infinity;
    for (let c = 0; c < numClasses; c++) max = Math.max(max, logits[row + c] as number);
    let Z = 0;
    for (let c = 0; c < numClasses; c++) Z += Math.exp((logits[row + c] as number) - max);
    let labelId = 0;
    for (let c = 1; c < K; c++)
      if ((logits[row + c] as number) > (logits[row + labelId] as number)) labelId = c;
    classes.push({ labelId, score: Math.exp((logits[row + labelId] as number) - max) / Z });
  }
  return classes;
}
