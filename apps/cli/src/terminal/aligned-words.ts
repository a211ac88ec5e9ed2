// A translation's word alignment for the terminal: one line per target word, in order, with the source words its
// cross-attention linked it to and their weights; on a colour terminal each source word's background shows its
// weight relative to the strongest link.
import type { AlignmentLink } from '@attn/core-attention';
import type { TerminalStyle } from './terminal-style.js';

/** What {@link alignedWords} reads off a translation. */
export interface WordAlignment {
  sourceWords: readonly string[];
  targetWords: readonly string[];
  alignment: readonly AlignmentLink[];
}

const maxColumn = 24;

/**
 * Lines `target  ← source weight, …`; a target word without a link shows `← –`.
 *
 * @example
 * ```ts
 * const plain = terminalStyle({ isTTY: false }, {});
 * alignedWords({
 *   sourceWords: ['A', 'dog', 'runs.'], targetWords: ['Ein', 'Hund', 'läuft.'],
 *   alignment: [{ source: 0, target: 0, weight: 0.8 }, { source: 1, target: 1, weight: 0.62 }],
 * }, plain);
 * // ['Ein     ← A 0.80', 'Hund    ← dog 0.62', 'läuft.  ← –']
 * ```
 * @throws never.
 */
export function alignedWords(translation: WordAlignment, style: TerminalStyle): string[] {
  const { sourceWords, targetWords, alignment } = translation;
  const strongest = Math.max(0, ...alignment.map((link) => link.weight));
  const width = Math.min(maxColumn, Math.max(0, ...targetWords.map((word) => word.length)));
  return targetWords.map((word, target) => {
    const sources = alignment
      .filter((link) => link.target === target)
      .sort((first, second) => second.weight - first.weight)
      .map(
        ({ source, weight }) =>
          `${style.heat(sourceWords[source] ?? '?', strongest > 0 ? weight / strongest : 0)} ${weight.toFixed(2)}`,
      );
    return `${word.padEnd(width)}  ← ${sources.length === 0 ? '–' : sources.join(', ')}`;
  });
}
