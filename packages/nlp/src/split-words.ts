// Words as attn's alignments count them: the white-space separated pieces of a text.

/**
 * The words of `text`.
 *
 * @example
 * ```ts
 * splitWords('  Two dogs,  running. '); // ['Two', 'dogs,', 'running.']
 * ```
 */
export function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}
