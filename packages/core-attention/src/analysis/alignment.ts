// Word alignment from one target × source attention matrix: each target's best source (argmax), or every
// cell above a threshold. The link shape every alignment function returns.
//
// Legend: W [T, S] weights, rows = target positions (queries), columns = source positions (keys).
import { describeValue, invalidArgument } from '../errors/index.js';
import { expectFloatMatrix, type FloatTensor } from './float-tensor.js';

/** One alignment link: target position `target` draws on source position `source` with weight `weight`. */
export interface AlignmentLink {
  source: number;
  target: number;
  weight: number;
}

/** Options of {@link argmaxAlignment}. */
export interface ArgmaxAlignmentOptions {
  /** Drop a target's link when its best weight is below this. Default 0 (keep every unmasked row). */
  threshold?: number;
}

/**
 * Links each target row to its highest-weight source (the first on ties). A row whose best weight is 0
 * (a masked query) or below `threshold` gets no link. Links come in target order.
 *
 * @example
 * ```ts
 * const W = createTensor('float32', [3, 2], new Float32Array([0.875, 0.125, 0.25, 0.75, 0, 0])); // row 2 masked
 * argmaxAlignment(W);
 * // [{ source: 0, target: 0, weight: 0.875 }, { source: 1, target: 1, weight: 0.75 }]
 * argmaxAlignment(W, { threshold: 0.8 }).length; // 1
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `attention` is not a rank-2 float tensor or `threshold` is not a finite number.
 */
export function argmaxAlignment(
  attention: FloatTensor,
  options: ArgmaxAlignmentOptions = {},
): AlignmentLink[] {
  const [T, S] = expectFloatMatrix('argmaxAlignment', 'attention', attention);
  const { threshold = 0 } = options;
  if (!Number.isFinite(threshold))
    throw invalidArgument(
      'argmaxAlignment',
      'threshold',
      'a finite number',
      describeValue(threshold),
    );
  const W = attention.data;
  const links: AlignmentLink[] = [];
  for (let t = 0; t < T; t++) {
    let best = 0;
    for (let s = 1; s < S; s++)
      if ((W[t * S + s] as number) > (W[t * S + best] as number)) best = s;
    const weight = W[t * S + best] as number;
    if (S > 0 && weight > 0 && weight >= threshold) links.push({ source: best, target: t, weight });
  }
  return links;
}

/**
 * Links every (target, source) cell whose weight is at least `threshold`; a target may get several sources
 * or none. Links come in target order, then source order.
 *
 * @example
 * ```ts
 * const W = createTensor('float32', [2, 2], new Float32Array([0.5, 0.5, 0.1, 0.9]));
 * thresholdAlignment(W, 0.4).map(({ source, target }) => `${source}-${target}`); // ['0-0', '1-0', '1-1']
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `attention` is not a rank-2 float tensor or `threshold` is not a positive finite number.
 */
export function thresholdAlignment(attention: FloatTensor, threshold: number): AlignmentLink[] {
  const [T, S] = expectFloatMatrix('thresholdAlignment', 'attention', attention);
  if (!(Number.isFinite(threshold) && threshold > 0)) {
    throw invalidArgument(
      'thresholdAlignment',
      'threshold',
      'a positive finite number',
      describeValue(threshold),
    );
  }
  const W = attention.data;
  const links: AlignmentLink[] = [];
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < S; s++) {
      const weight = W[t * S + s] as number;
      if (weight >= threshold) links.push({ source: s, target: t, weight });
    }
  }
  return links;
}
