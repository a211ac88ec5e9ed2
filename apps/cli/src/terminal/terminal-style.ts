// Colour for the terminal: ECMA-48 SGR escape codes with xterm's 256-colour palette, on only when the stream is a
// terminal and NO_COLOR is unset or empty (https://no-color.org). Otherwise every style returns its text unchanged,
// so piped output is plain text.

/** Styles for one output stream. */
export interface TerminalStyle {
  /** Whether escape codes are written. */
  readonly color: boolean;
  bold(text: string): string;
  dim(text: string): string;
  /** `text` on a background from pale yellow to deep orange as `weight` goes from 0 to 1; unchanged at 0. */
  heat(text: string, weight: number): string;
}

// xterm-256 backgrounds, pale yellow to deep orange, all light enough for black text
const heatRamp = [230, 229, 228, 221, 215, 209, 208];

/**
 * The styles for `stream` under `env`.
 *
 * @example
 * ```ts
 * terminalStyle({ isTTY: true }, {}).bold('A'); // '\x1b[1mA\x1b[22m'
 * terminalStyle({ isTTY: true }, { NO_COLOR: '1' }).bold('A'); // 'A'
 * terminalStyle({ isTTY: false }, {}).heat('dog', 1); // 'dog'
 * terminalStyle({ isTTY: true }, {}).heat('dog', 1); // '\x1b[30;48;5;208mdog\x1b[39;49m'
 * ```
 * @throws never.
 */
export function terminalStyle(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): TerminalStyle {
  const color = stream.isTTY === true && (env['NO_COLOR'] ?? '') === '';
  const wrap =
    (open: string, close: string) =>
    (text: string): string =>
      color ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    color,
    bold: wrap('1', '22'),
    dim: wrap('2', '22'),
    heat(text, weight) {
      if (!color || !(weight > 0)) return text;
      const step = Math.min(heatRamp.length - 1, Math.floor(Math.min(weight, 1) * heatRamp.length));
      return `\x1b[30;48;5;${heatRamp[step]}m${text}\x1b[39;49m`;
    },
  };
}
