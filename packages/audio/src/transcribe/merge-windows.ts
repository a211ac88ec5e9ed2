// Long audio: the words of overlapping windows joined into one transcript, each spoken word once. Every overlap
// is cut at its middle (windows that only touch, where one handed over to the next, are cut where they meet). Two words of neighbouring windows that overlap in time by half the shorter one are the same
// spoken word heard twice: the copy kept is the one from the window on whose side of the cut the pair's mean centre
// lies. A word cut off by a window's edge is heard whole by the neighbour, and as long as it is shorter than the
// overlap that mean lies on the neighbour's side. A word only one window heard is kept. Times are then made
// monotonic and clamped to the audio.

/** Whisper's times come in 20 ms steps: two words closer than this are taken to touch. */
const timeTolerance = 0.04;

/** A word of one window: its text with leading white space, its tokens, absolute times in seconds. */
export interface WindowWord {
  surface: string;
  tokens: number[];
  start: number;
  end: number;
  confidence: number;
}

/** One window's transcript: the window's span in the audio (seconds) and its words in order. */
export interface WindowTranscript {
  start: number;
  end: number;
  words: WindowWord[];
}

/** A stretch of the transcript: one window's share of the audio. */
export interface TranscriptSegment {
  /** Seconds; segments tile the audio in order. */
  start: number;
  end: number;
  text: string;
  /** The text token ids of its words. */
  tokens: number[];
}

/**
 * Joins the windows' words (windows in time order, each overlapping or touching the next) and splits the result into one
 * segment per window share: [0, cut₀), [cut₀, cut₁), …, [cut_last, duration], without empty segments.
 *
 * @example
 * ```ts
 * // windows [0, 2) and [1.5, 3.5): cut at 1.75; ' three' heard by both, its mean centre 1.8 is on the second's side
 * const word = (surface: string, start: number, end: number) => ({ surface, tokens: [], start, end, confidence: 1 });
 * const { words } = mergeWindows([
 *   { start: 0, end: 2, words: [word(' one', 0.2, 0.6), word(' three', 1.6, 2)] },
 *   { start: 1.5, end: 3.5, words: [word(' three', 1.62, 1.98), word(' four', 2.2, 2.6)] },
 * ], 3.5);
 * words.map((w) => [w.surface, w.start]); // [[' one', 0.2], [' three', 1.62], [' four', 2.2]]
 * ```
 */
export function mergeWindows(
  windows: readonly WindowTranscript[],
  durationSeconds: number,
): { words: WindowWord[]; segments: TranscriptSegment[] } {
  const cuts = windows
    .slice(1)
    .map((next, k) => (next.start + (windows[k] as WindowTranscript).end) / 2);
  const kept: WindowWord[] = [];
  windows.forEach((window, k) => {
    for (const word of window.words) {
      // a twin in the previous window wins when the pair's mean centre is before that cut, one in the next
      // window when it is at or after this one
      const lostToPrevious =
        k > 0 &&
        twins(word, windows[k - 1] as WindowTranscript).some(
          (centre) => centre < (cuts[k - 1] as number),
        );
      const lostToNext =
        k < cuts.length &&
        twins(word, windows[k + 1] as WindowTranscript).some(
          (centre) => centre >= (cuts[k] as number),
        );
      if (!lostToPrevious && !lostToNext) kept.push({ ...word });
    }
  });
  // stable: words of one window keep their order, and at equal starts the earlier window's word comes first
  kept.sort((a, b) => a.start - b.start);
  let previousEnd = 0;
  for (const word of kept) {
    word.start = Math.min(Math.max(word.start, previousEnd), durationSeconds);
    word.end = Math.min(Math.max(word.end, word.start), durationSeconds);
    previousEnd = word.end;
  }
  return { words: kept, segments: segmentsOf(kept, cuts, durationSeconds) };
}

/** Mean centres of `word` and each word of `window` that overlaps it by half the shorter of the two. */
function twins(word: WindowWord, window: WindowTranscript): number[] {
  const centres: number[] = [];
  for (const other of window.words) {
    const overlap = Math.min(word.end, other.end) - Math.max(word.start, other.start);
    const shorter = Math.min(word.end - word.start, other.end - other.start);
    if (overlap + timeTolerance >= shorter / 2)
      centres.push((word.start + word.end + other.start + other.end) / 4);
  }
  return centres;
}

function segmentsOf(
  words: readonly WindowWord[],
  cuts: readonly number[],
  durationSeconds: number,
): TranscriptSegment[] {
  const clamp = (cut: number): number =>
    Math.round(1000 * Math.min(Math.max(cut, 0), durationSeconds)) / 1000;
  const bounds = [0, ...cuts.map(clamp), durationSeconds];
  const segments: TranscriptSegment[] = [];
  let next = 0;
  for (let s = 0; s + 1 < bounds.length; s++) {
    const members: WindowWord[] = [];
    // centres never decrease after the clamp above, so each segment takes a contiguous run
    while (
      next < words.length &&
      (s + 2 === bounds.length ||
        ((words[next] as WindowWord).start + (words[next] as WindowWord).end) / 2 <
          (bounds[s + 1] as number))
    )
      members.push(words[next++] as WindowWord);
    if (members.length === 0) continue;
    segments.push({
      start: bounds[s] as number,
      end: bounds[s + 1] as number,
      text: members
        .map((word) => word.surface)
        .join('')
        .trim(),
      tokens: members.flatMap((word) => word.tokens),
    });
  }
  return segments;
}
