// Numbers in SVG attributes: at most two decimals, no exponent, no '-0'.

/**
 * Formats a coordinate or length for an SVG attribute.
 *
 * @example
 * ```ts
 * svgNumber(12.3456); // '12.35'
 * svgNumber(-0.001); // '0'
 * ```
 */
export function svgNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}
