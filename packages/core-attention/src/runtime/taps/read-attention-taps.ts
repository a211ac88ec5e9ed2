// Turns the outputs of a run on a tapped model into attention probabilities, one [B,H,T,S] tensor per tap:
// Softmax taps are read as they are, fused-operator taps are recomputed from their tapped inputs.
import { AttnError, describeValue } from '../../errors/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { AttentionTap } from './apply-taps.js';
import { recomputeAttention } from './recompute-attention.js';
import type { TapRole } from './site-tap-values.js';

/** Options of {@link readAttentionTaps}. */
export interface ReadAttentionOptions {
  /**
   * H, to reshape probabilities a graph computes as [B·H,T,S] (BART and Marian exports do) to [B,H,T,S].
   * Without it such taps are returned as they are.
   */
  numHeads?: number;
}

/**
 * The attention probabilities of each tap, by tap name ('attn.cross.0'), from a run's outputs.
 *
 * @example
 * ```ts
 * const outputs = await session.run(feeds); // a session on tapped.modelPath
 * const attention = readAttentionTaps(tapped.taps, outputs);
 * attention.get('attn.cross.0')?.dims; // [1, 8, 5, 7]: batch, heads, target, source
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when an output of a tap is missing from `outputs`, or `numHeads` does not divide
 * the first dim of a rank-3 tap; UNSUPPORTED for fused-operator inputs it cannot recompute from.
 */
export function readAttentionTaps(
  taps: readonly AttentionTap[],
  outputs: Readonly<Record<string, Tensor | undefined>>,
  options: ReadAttentionOptions = {},
): Map<string, Tensor<'float32'>> {
  const attention = new Map<string, Tensor<'float32'>>();
  for (const tap of taps) {
    const inputs: Partial<Record<TapRole, Tensor>> = {};
    for (const [role, output] of Object.entries(tap.outputs) as [TapRole, string][]) {
      const tensor = outputs[output];
      if (tensor === undefined) {
        throw new AttnError(
          'INVALID_ARGUMENT',
          `readAttentionTaps(): the outputs have no '${output}' (tap ${tap.name})`,
          {
            fix: 'run the session on the tapped model and fetch every output of its taps',
          },
        );
      }
      inputs[role] = tensor;
    }
    const probabilities =
      tap.recipe === undefined
        ? (inputs.probabilities as Tensor<'float32'>)
        : recomputeAttention(tap.recipe, inputs);
    attention.set(tap.name, withHeads(tap.name, probabilities, options.numHeads));
  }
  return attention;
}

function withHeads(
  name: string,
  tensor: Tensor<'float32'>,
  numHeads: number | undefined,
): Tensor<'float32'> {
  const { type, data, dims } = tensor;
  if (dims.length !== 3 || numHeads === undefined) return { type, data, dims: [...dims] };
  const [rows, queries, keys] = dims as [number, number, number];
  if (!Number.isInteger(numHeads) || numHeads < 1 || rows % numHeads !== 0) {
    throw new AttnError(
      'INVALID_ARGUMENT',
      `readAttentionTaps(): options.numHeads must divide the first dim of ${name} ${describeValue([...dims])}, got ${describeValue(numHeads)}`,
    );
  }
  return { type, data, dims: [rows / numHeads, numHeads, queries, keys] };
}
