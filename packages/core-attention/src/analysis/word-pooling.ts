// Subword-to-word pooling of an attention matrix: rows and columns that belong to one word are combined
// (summed or averaged), special tokens are dropped, and rows are renormalised to distributions.
//
// Legend: W [T, S] subword weights; V [T', S'] word weights, T' = max row word id + 1, S' likewise;
// a_t = 1 (sum) or 1/|word(t)| (mean) for rows, b_s likewise for columns; V[u, v] = Σ_{t∈u} Σ_{s∈v} a_t · b_s · W[t, s].
import { describeValue, invalidArgument } from '../errors/index.js';
import { createTensor, type Tensor } from '../tensor/index.js';
import { expectFloatMatrix, type FloatTensor } from './float-tensor.js';

/** Word id of each token (as from {@link wordIdsFromOffsets} or a tokenizer's word_ids()), null for tokens to drop. */
export type WordIds = readonly (number | null)[];

/** Options of {@link poolSubwords}. */
export interface WordPoolingOptions {
  /** Word ids of the rows (queries / targets); omitted: rows stay as they are. */
  rowWordIds?: WordIds;
  /** Word ids of the columns (keys / sources); omitted: columns stay as they are. */
  columnWordIds?: WordIds;
  /** How a word's rows combine. Default 'mean': a word's row is the average of its subwords' rows. */
  rowReduction?: 'sum' | 'mean';
  /** How a word's columns combine. Default 'sum': the attention a word receives is what its subwords receive together. */
  columnReduction?: 'sum' | 'mean';
  /** Divide each row by its sum afterwards (rows that sum to 0 stay 0). Default true. */
  renormalize?: boolean;
}

/**
 * Pools a subword attention matrix [T, S] to words. A word id with no token gets a zero row or column.
 *
 * @example
 * ```ts
 * // rows: <s>, "walk", "ing" -> word ids [null, 0, 0]; columns: "geh", "en", </s> -> [0, 0, null]
 * const W = createTensor('float32', [3, 3], new Float32Array([
 *   0.25, 0.25, 0.5,
 *   0.5, 0.25, 0.25,
 *   0.125, 0.5, 0.375,
 * ]));
 * // row word 0 = mean of rows 1 and 2; column word 0 = sum of columns 0 and 1: (0.75 + 0.625) / 2 = 0.6875, then / 0.6875
 * poolSubwords(W, { rowWordIds: [null, 0, 0], columnWordIds: [0, 0, null] }).data; // Float32Array [1]
 * poolSubwords(W, { rowWordIds: [null, 0, 0], columnWordIds: [0, 0, null], renormalize: false }).data; // Float32Array [0.6875]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `attention` is not a rank-2 float tensor, a word id list's length differs
 * from the axis it describes or holds something other than non-negative integers and null, or a reduction is unknown.
 */
export function poolSubwords(
  attention: FloatTensor,
  options: WordPoolingOptions = {},
): Tensor<'float32'> {
  const fn = 'poolSubwords';
  const [T, S] = expectFloatMatrix(fn, 'attention', attention);
  const { rowReduction = 'mean', columnReduction = 'sum', renormalize = true } = options;
  const rows = axisPooling(fn, 'rowWordIds', options.rowWordIds, T, rowReduction, 'rowReduction');
  const columns = axisPooling(
    fn,
    'columnWordIds',
    options.columnWordIds,
    S,
    columnReduction,
    'columnReduction',
  );
  const W = attention.data;
  const V = new Float64Array(rows.words * columns.words);
  for (let t = 0; t < T; t++) {
    const u = rows.wordOf[t] as number;
    if (u < 0) continue;
    for (let s = 0; s < S; s++) {
      const v = columns.wordOf[s] as number;
      if (v < 0) continue;
      V[u * columns.words + v] =
        (V[u * columns.words + v] as number) +
        (rows.scale[t] as number) * (columns.scale[s] as number) * (W[t * S + s] as number);
    }
  }
  if (renormalize) {
    for (let u = 0; u < rows.words; u++) {
      let Z = 0;
      for (let v = 0; v < columns.words; v++) Z += V[u * columns.words + v] as number;
      if (Z !== 0)
        for (let v = 0; v < columns.words; v++)
          V[u * columns.words + v] = (V[u * columns.words + v] as number) / Z;
    }
  }
  return createTensor('float32', [rows.words, columns.words], Float32Array.from(V));
}

/** Per token: its word (−1 to drop) and its factor (1, or 1 / tokens in its word); plus the number of words. */
function axisPooling(
  fn: string,
  argument: string,
  wordIds: WordIds | undefined,
  length: number,
  reduction: 'sum' | 'mean',
  reductionArgument: string,
): { wordOf: Int32Array; scale: Float64Array; words: number } {
  if (reduction !== 'sum' && reduction !== 'mean')
    throw invalidArgument(fn, reductionArgument, "'sum' or 'mean'", describeValue(reduction));
  const wordOf = new Int32Array(length);
  if (wordIds === undefined) {
    for (let i = 0; i < length; i++) wordOf[i] = i;
    return { wordOf, scale: new Float64Array(length).fill(1), words: length };
  }
  const valid =
    Array.isArray(wordIds) &&
    wordIds.length === length &&
    wordIds.every((id) => id === null || (Number.isInteger(id) && id >= 0));
  if (!valid) {
    throw invalidArgument(
      fn,
      argument,
      `${length} word ids (non-negative integers, or null for tokens to drop)`,
      describeValue(wordIds),
    );
  }
  let words = 0;
  for (let i = 0; i < length; i++) {
    wordOf[i] = wordIds[i] ?? -1;
    words = Math.max(words, (wordOf[i] as number) + 1);
  }
  const tokensInWord = new Int32Array(words);
  for (let i = 0; i < length; i++) {
    const word = wordOf[i] as number;
    if (word >= 0) tokensInWord[word] = (tokensInWord[word] as number) + 1;
  }
  const scale = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const word = wordOf[i] as number;
    scale[i] = word < 0 ? 0 : reduction === 'sum' ? 1 : 1 / (tokensInWord[word] as number);
  }
  return { wordOf, scale, words };
}
