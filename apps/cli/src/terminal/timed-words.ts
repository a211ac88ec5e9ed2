// Transcribed words for the terminal, one per line with its start and end time and confidence; words the model
// was unsure of (confidence under 0.5) are dimmed on a colour terminal.
import type { TerminalStyle } from './terminal-style.js';

/** A word with its times in seconds and its confidence in [0, 1]. */
export interface TimedWord {
  word: string;
  start: number;
  end: number;
  confidence: number;
}

/**
 * Lines `start → end  word  confidence%`, times with two decimals.
 *
 * @example
 * ```ts
 * const plain = terminalStyle({ isTTY: false }, {});
 * timedWords([{ word: 'Hello', start: 0.14, end: 0.5, confidence: 0.97 }, { word: 'world.', start: 0.5, end: 0.98, confidence: 0.41 }], plain);
 * // ['0.14 → 0.50  Hello   97%', '0.50 → 0.98  world.  41%']
 * ```
 * @throws never.
 */
export function timedWords(words: readonly TimedWord[], style: TerminalStyle): string[] {
  const timeWidth = Math.max(0, ...words.map((word) => word.end.toFixed(2).length));
  const wordWidth = Math.min(24, Math.max(0, ...words.map((word) => word.word.length)));
  return words.map(({ word, start, end, confidence }) => {
    const line = `${start.toFixed(2).padStart(timeWidth)} → ${end.toFixed(2).padStart(timeWidth)}  ${word.padEnd(wordWidth)} ${`${Math.round(confidence * 100)}%`.padStart(4)}`;
    return confidence < 0.5 ? style.dim(line) : line;
  });
}
