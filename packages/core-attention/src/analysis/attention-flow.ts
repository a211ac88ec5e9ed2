// Attention flow (Abnar & Zuidema 2020, https://arxiv.org/abs/2005.00928): the attention graph as a flow
// network whose edge capacities are the residual-mixed attention weights; the flow from input token j to
// output position i is the maximum flow between those two nodes. T² max-flow problems, so small graphs only.
//
// Legend: L covered layers, T tokens; nodes (level 0..L, position); Ã_l [T, T] (see residual-attention.ts)
// gives the capacity of the edge from position j of level l−1 to position i of level l.
import { AttnError } from '../errors/index.js';
import { createTensor, type Tensor } from '../tensor/index.js';
import type { AttentionMaps } from './attention-maps.js';
import { layeredMaxFlow, maxFlowScratch } from './layered-max-flow.js';
import { residualAttention, type ResidualAttentionOptions } from './residual-attention.js';

/**
 * Largest L·T⁴ (layers × tokens⁴: T² pairs, each a max flow over L·T² edges) that {@link attentionFlow}
 * accepts. 2²⁰ allows, for example, 16 tokens through 16 layers or 32 tokens through 1 layer; 16 × 16 took
 * 0.8 s on one shared CPU core.
 */
export const ATTENTION_FLOW_MAX_WORK = 2 ** 20;

/**
 * The attention flow [T (output positions of the last covered layer), T (input tokens)], float32.
 * Unlike rollout, rows do not sum to 1: each value is a max-flow, bounded by the capacities into the output node.
 *
 * @example
 * ```ts
 * // one layer, A = [[1, 0], [1, 0]], r = 0.5: Ã = [[1, 0], [0.5, 0.5]]; with one layer the flow from
 * // input j to output i is the single edge's capacity Ã[i, j]
 * const maps = createAttentionMaps({
 *   kind: 'self', layers: [0], heads: [0], queryLabels: ['a', 'b'], keyLabels: ['a', 'b'],
 *   data: new Float32Array([1, 0, 1, 0]),
 * });
 * attentionFlow(maps).data; // Float32Array [1, 0, 0.5, 0.5]
 * ```
 * @throws {AttnError} UNSUPPORTED when L·T⁴ exceeds {@link ATTENTION_FLOW_MAX_WORK}; INVALID_ARGUMENT as for
 * {@link attentionRollout} (not square self-attention, residual weight outside [0, 1], negative or NaN weights).
 */
export function attentionFlow(
  maps: AttentionMaps,
  options: ResidualAttentionOptions = {},
): Tensor<'float32'> {
  const [L, , T] = maps.dims;
  const work = L * T ** 4;
  if (work > ATTENTION_FLOW_MAX_WORK) {
    throw new AttnError(
      'UNSUPPORTED',
      `attentionFlow(): ${L} layers × ${T} tokens needs L·T⁴ = ${work} steps, over the limit of ${ATTENTION_FLOW_MAX_WORK}`,
      {
        likelyCause: 'attention flow solves T² max-flow problems and grows as L·T⁴',
        fix: 'select fewer layers or a shorter input with selectAttentionMaps, or use attentionRollout',
      },
    );
  }
  const { data: capacity } = residualAttention('attentionFlow', maps, options); // [L, T, T]
  const scratch = maxFlowScratch(L, T);
  const flow = new Float32Array(T * T);
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < T; j++) flow[i * T + j] = layeredMaxFlow(capacity, L, T, j, i, scratch);
  }
  return createTensor('float32', [T, T], flow);
}
