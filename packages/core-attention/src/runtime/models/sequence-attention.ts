// The attention behind one generated sequence, stitched from the per-step results of a generation run:
// step t's row `rows[t]` read the inputs of token t, so its attention rows belong to this sequence,
// however beam search moved rows in between.
import { AttnError } from '../../errors/index.js';
import type { GeneratedSequence, GenerationStep } from '../generation/index.js';
import type { AttentionStepResult } from './encoder-decoder-stepper.js';

/** Attention of one sequence: data [layer, head, query, key]; query i is the i-th decoder input (prompt, then tokens). */
export interface SequenceAttention {
  layers: number[];
  heads: number;
  /** Decoder inputs read: prompt length + tokens.length - 1. */
  queries: number;
  /** Source positions (cross) or decoder positions (self; later keys of early queries are 0). */
  keys: number;
  data: Float32Array;
}

/**
 * Stitches the `kind` attention ('cross' or 'decoder_self') of `sequence` from the steps of its run;
 * undefined when the steps carry no such attention.
 *
 * @example
 * ```ts
 * const steps: GenerationStep<AttentionStepResult>[] = [];
 * const result = await greedySearch(stepper, { prompt: [[start]], onStep: (step) => steps.push(step) });
 * const cross = sequenceAttention(steps, result.sequences[0][0], 'cross');
 * cross?.queries; // 1 + tokens.length - 1
 * ```
 * @throws {AttnError} RUNTIME when a step's attention is missing for a layer the first step had.
 */
export function sequenceAttention(
  steps: readonly GenerationStep<AttentionStepResult>[],
  sequence: GeneratedSequence,
  kind: 'cross' | 'decoder_self' | 'self',
): SequenceAttention | undefined {
  const prefix = `attn.${kind}.`;
  const first = steps[0]?.result.attention;
  if (first === undefined) return undefined;
  const layers = [...first.keys()]
    .filter((name) => name.startsWith(prefix))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
  if (layers.length === 0) return undefined;
  const used = steps.slice(0, sequence.rows.length);
  const sample = first.get(`${prefix}${layers[0]}`)!;
  const heads = sample.dims[1] as number;
  const queries = used.reduce(
    (sum, step) => sum + (step.result.attention.get(`${prefix}${layers[0]}`)!.dims[2] as number),
    0,
  );
  const keys = Math.max(
    ...used.map((step) => step.result.attention.get(`${prefix}${layers[0]}`)!.dims[3] as number),
  );
  const data = new Float32Array(layers.length * heads * queries * keys);
  layers.forEach((layer, l) => {
    let query = 0;
    used.forEach((step, t) => {
      const tensor = step.result.attention.get(`${prefix}${layer}`);
      if (tensor === undefined) {
        throw new AttnError(
          'RUNTIME',
          `sequenceAttention(): step ${t} has no ${prefix}${layer} though step 0 had it`,
        );
      }
      const [, , stepQueries, stepKeys] = tensor.dims as [number, number, number, number];
      const row = sequence.rows[t] as number;
      for (let h = 0; h < heads; h++) {
        for (let q = 0; q < stepQueries; q++) {
          const from = ((row * heads + h) * stepQueries + q) * stepKeys;
          const to = ((l * heads + h) * queries + query + q) * keys;
          data.set(tensor.data.subarray(from, from + stepKeys), to);
        }
      }
      query += stepQueries;
    });
  });
  return { layers, heads, queries, keys, data };
}
