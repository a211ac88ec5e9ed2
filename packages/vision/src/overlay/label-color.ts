// One colour per class label, the same in every image and run: Tableau 10 (the default categorical palette
// of matplotlib and Vega), picked by a string hash (FNV-1a, http://www.isthe.com/chongo/tech/comp/fnv/).
import type { Rgb } from '@attn/core-attention';

// prettier-ignore
const tableau10: readonly Rgb[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];

/**
 * The colour of a class label: a Tableau 10 colour chosen by the label's FNV-1a hash.
 *
 * @example
 * ```ts
 * labelColor('square'); // the same colour on every call, in every image of a report
 * labelColor(''); // [255, 127, 14] (the hash of '' is the offset basis 2166136261; 2166136261 % 10 = 1)
 * ```
 */
export function labelColor(label: string): Rgb {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...(tableau10[hash % tableau10.length] as Rgb)];
}
