// Reading the values node:util parseArgs returned: strings, flags, and numbers checked at the command line, so a
// bad value is reported with the flag's name (--beams) rather than the library option behind it.
import { usageError } from '../usage-error.js';

/** The parsed options of one command (no option is given `multiple`). */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

/**
 * The value of a string option, or undefined when it was not given.
 *
 * @example
 * ```ts
 * stringOption({ model: 'attn/mt-en-de' }, 'model'); // 'attn/mt-en-de'
 * ```
 * @throws never.
 */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether a boolean flag was given.
 *
 * @example
 * ```ts
 * flagOption({ json: true }, 'json'); // true
 * ```
 * @throws never.
 */
export function flagOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/**
 * The value of `--name` as an integer ≥ `minimum`, or undefined when it was not given.
 *
 * @example
 * ```ts
 * integerOption('translate', { beams: '4' }, 'beams', 1); // 4
 * integerOption('translate', { beams: 'four' }, 'beams', 1);
 * // throws "attn translate: --beams must be an integer ≥ 1, got 'four'. Fix: for example --beams 1."
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the value is not an integer ≥ minimum.
 */
export function integerOption(
  command: string,
  values: OptionValues,
  name: string,
  minimum: number,
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\s*[+-]?\d+\s*$/.test(text) || value < minimum) {
    throw usageError(
      command,
      `--${name} must be an integer ≥ ${minimum}, got '${text}'`,
      `for example --${name} ${minimum}`,
    );
  }
  return value;
}

/**
 * The value of `--name` as a number in [low, high], or undefined when it was not given.
 *
 * @example
 * ```ts
 * numberOption('detect', { threshold: '0.7' }, 'threshold', 0, 1); // 0.7
 * numberOption('detect', { threshold: '7' }, 'threshold', 0, 1);
 * // throws "attn detect: --threshold must be a number in [0, 1], got '7'. Fix: for example --threshold 0.5."
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the value is not a number in range.
 */
export function numberOption(
  command: string,
  values: OptionValues,
  name: string,
  low: number,
  high: number,
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!(value >= low && value <= high)) {
    const bound = (limit: number): string =>
      Number.isFinite(limit) ? String(limit) : limit > 0 ? '∞' : '-∞';
    const example = Number.isFinite(low) ? (Number.isFinite(high) ? (low + high) / 2 : low + 1) : 0;
    throw usageError(
      command,
      `--${name} must be a number in [${bound(low)}, ${bound(high)}], got '${text}'`,
      `for example --${name} ${example}`,
    );
  }
  return value;
}
