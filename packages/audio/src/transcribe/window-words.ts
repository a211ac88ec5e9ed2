// A window's words with times and confidences: tokens grouped into words (word-groups.ts), each word spanning
// its first token's start to its last token's end (token-boundaries.ts) in seconds of the whole audio, and
// scored by the mean probability of its tokens.
import type { WindowWord } from './merge-windows.js';
import { wordGroups } from './word-groups.js';

export interface WordTiming {
  /** Token i spans encoder frames [boundaries[i], boundaries[i + 1]). */
  boundaries: Int32Array;
  /** Seconds per encoder frame. */
  secondsPerFrame: number;
  /** Where the window starts in the audio and where its audio ends; times are clamped to this span. */
  startSeconds: number;
  endSeconds: number;
}

/**
 * The words of one window's text tokens. Times are rounded to milliseconds. A window's first word gets a leading
 * space when it has none, so the words of consecutive windows never run together.
 *
 * @example
 * ```ts
 * const bytes = [' hel', 'lo', ' world'].map((token) => new TextEncoder().encode(token));
 * windowWords([10, 11, 12], bytes, new Float64Array([0.5, 1, 0.9]), {
 *   boundaries: new Int32Array([0, 5, 10, 20]), secondsPerFrame: 0.02, startSeconds: 30, endSeconds: 60,
 * });
 * // [{ surface: ' hello', tokens: [10, 11], start: 30, end: 30.2, confidence: 0.75 },
 * //  { surface: ' world', tokens: [12], start: 30.2, end: 30.4, confidence: 0.9 }]
 * ```
 */
export function windowWords(
  tokens: readonly number[],
  tokenBytes: readonly Uint8Array[],
  probabilities: Float64Array,
  timing: WordTiming,
): WindowWord[] {
  const { boundaries, secondsPerFrame, startSeconds, endSeconds } = timing;
  const time = (frame: number): number =>
    Math.round(1000 * Math.min(endSeconds, startSeconds + frame * secondsPerFrame)) / 1000;
  return wordGroups(tokenBytes).map((group, index) => {
    let sum = 0;
    for (let t = group.tokenStart; t < group.tokenEnd; t++) sum += probabilities[t] as number;
    return {
      surface: index === 0 && !/^\s/u.test(group.surface) ? ` ${group.surface}` : group.surface,
      tokens: tokens.slice(group.tokenStart, group.tokenEnd),
      start: time(boundaries[group.tokenStart] as number),
      end: time(boundaries[group.tokenEnd] as number),
      confidence: sum / (group.tokenEnd - group.tokenStart),
    };
  });
}
