// Which transcribed word is being spoken at a playback time: words are sorted and do not overlap
// (transcribe() guarantees start ≤ end ≤ the next start), so a binary search finds it.

/**
 * The index of the word with start ≤ `seconds` < end (the last word also owns its end), or -1 in a pause.
 *
 * @example
 * ```ts
 * const words = [{ start: 0.1, end: 0.5 }, { start: 0.5, end: 0.9 }, { start: 1.2, end: 1.6 }];
 * wordAtTime(words, 0.5); // 1
 * wordAtTime(words, 1.0); // -1 (a pause)
 * wordAtTime(words, 1.6); // 2
 * ```
 */
export function wordAtTime(
  words: readonly { start: number; end: number }[],
  seconds: number,
): number {
  let low = 0;
  let high = words.length - 1;
  // the last word whose start ≤ seconds
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (words[middle]!.start <= seconds) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  if (found < 0) return -1;
  const word = words[found]!;
  const last = found === words.length - 1;
  return seconds < word.end || (last && seconds === word.end) ? found : -1;
}
