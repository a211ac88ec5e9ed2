// Weights for the wire: rounded to 4 decimals, which is finer than any colour the UI draws and keeps a response
// about a third of the size of full float32 digits.
import { attentionMapsToJSON, type AttentionMaps } from '@attn/core-attention';
import type { WireAttention } from '../../api/studio-api.js';

/**
 * `values` as plain numbers rounded to 4 decimals.
 *
 * @example
 * ```ts
 * roundWeights(new Float32Array([0.123456, 1 / 3])); // [0.1235, 0.3333]
 * ```
 */
export function roundWeights(values: ArrayLike<number>): number[] {
  const rounded = new Array<number>(values.length);
  for (let index = 0; index < values.length; index++)
    rounded[index] = Math.round((values[index] as number) * 1e4) / 1e4;
  return rounded;
}

/**
 * AttentionMaps as JSON with rounded weights; null for none.
 *
 * @example
 * ```ts
 * wireAttention(maps)?.data; // [0.875, 0.125, …]
 * wireAttention(undefined); // null
 * ```
 */
export function wireAttention(maps: AttentionMaps | undefined): WireAttention | null {
  if (maps === undefined) return null;
  return { ...attentionMapsToJSON(maps), data: roundWeights(maps.data) };
}
