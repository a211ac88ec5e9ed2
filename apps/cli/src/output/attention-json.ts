// The raw attention in --json output: AttentionMaps in their JSON form ([layer, head, query, key] as a number[]
// with dims and labels), added only with --attention-maps because it is often far larger than the result.
import {
  attentionMapsToJSON,
  type AttentionMaps,
  type AttentionMapsJSON,
} from '@attn/core-attention';

/**
 * `{ attention }` to spread into a JSON result when `wanted` and the maps exist, else `{}`.
 *
 * @example
 * ```ts
 * const result = await translate('A dog runs on the beach.'); // attn/mt-en-de
 * ({ text: result.text, ...attentionJson(result.attention, false) }); // { text: 'Ein Hund rennt am Strand.' }
 * attentionJson(result.attention, true).attention?.dims; // [3, 4, 8, 8] (layers, heads, target, source tokens)
 * ```
 * @throws never.
 */
export function attentionJson(
  maps: AttentionMaps | undefined,
  wanted: boolean,
): { attention?: AttentionMapsJSON } {
  return wanted && maps !== undefined ? { attention: attentionMapsToJSON(maps) } : {};
}
