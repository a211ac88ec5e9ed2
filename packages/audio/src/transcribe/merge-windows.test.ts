import { seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { mergeWindows, type WindowTranscript, type WindowWord } from './merge-windows.js';

const word = (surface: string, start: number, end: number, tokens: number[] = []): WindowWord => ({
  surface,
  tokens,
  start,
  end,
  confidence: 1,
});

/** Spoken words over `duration` seconds: 0.15–0.35 s each, 0.05–0.2 s apart (shorter than half the overlap). */
function spokenWords(seed: number, duration: number): WindowWord[] {
  const random = seededRandom(seed);
  const words: WindowWord[] = [];
  for (let t = 0.1 + 0.1 * random(), i = 0; ; i++) {
    const length = 0.15 + 0.2 * random();
    if (t + length > duration) return words;
    words.push(word(` w${i}`, t, t + length, [i]));
    t += length + 0.05 + 0.15 * random();
  }
}

/**
 * What a model would return for each window [k·stride, k·stride + chunk): the words inside it with times moved by
 * up to ±jitter, and a word cut by the window's edge either dropped or heard as a wrong, clipped word.
 */
function windowsOf(
  words: WindowWord[],
  seed: number,
  chunk: number,
  stride: number,
  duration: number,
) {
  const random = seededRandom(seed);
  const windows: WindowTranscript[] = [];
  for (let start = 0; ; start += stride) {
    const end = start + chunk;
    const heard: WindowWord[] = [];
    for (const spoken of words) {
      const jitter = (): number => (random() - 0.5) * 0.06;
      if (spoken.start >= start && spoken.end <= end)
        heard.push({ ...spoken, start: spoken.start + jitter(), end: spoken.end + jitter() });
      else if (spoken.end > start && spoken.start < end && random() < 0.5)
        heard.push(
          word(' garbled', Math.max(start, spoken.start), Math.min(end, spoken.end), [-1]),
        );
    }
    windows.push({ start, end, words: heard });
    if (end >= duration) return windows;
  }
}

describe('mergeWindows', () => {
  it('keeps every spoken word once across window edges, in order, with monotonic times in the audio', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const duration = 7;
      const spoken = spokenWords(seed, duration);
      // tiny-whisper's 2 s chunk with a 0.5 s overlap: four windows over 7 s
      const windows = windowsOf(spoken, 100 + seed, 2, 1.5, duration);
      expect(windows.length).toBe(5);
      const { words, segments } = mergeWindows(windows, duration);
      expect(words.map((w) => w.surface)).toEqual(spoken.map((w) => w.surface));
      let previousEnd = 0;
      for (const merged of words) {
        expect(merged.start).toBeGreaterThanOrEqual(previousEnd);
        expect(merged.end).toBeGreaterThanOrEqual(merged.start);
        expect(merged.end).toBeLessThanOrEqual(duration);
        previousEnd = merged.end;
      }
      // segments tile the audio in order and together hold every word's tokens
      expect(segments.flatMap((segment) => segment.tokens)).toEqual(spoken.map((_, i) => i));
      for (let s = 1; s < segments.length; s++)
        expect(segments[s]!.start).toBeGreaterThanOrEqual(segments[s - 1]!.end);
      expect(segments.map((segment) => segment.text).join(' ')).toBe(
        spoken.map((w) => w.surface.trim()).join(' '),
      );
    }
  });

  it('cuts the overlap at its middle: the word whose centre is past the cut comes from the next window', () => {
    // windows [0, 2) and [1.5, 3.5): cut at 1.75. ' b' heard by both; its centre is 1.8 in the second window
    const { words, segments } = mergeWindows(
      [
        { start: 0, end: 2, words: [word(' a', 0.2, 0.6, [1]), word(' b', 1.6, 2, [2])] },
        { start: 1.5, end: 3.5, words: [word(' b', 1.62, 1.98, [3]), word(' c', 2.2, 2.6, [4])] },
      ],
      3.5,
    );
    expect(words.map((w) => [w.surface, w.start, w.end, w.tokens])).toEqual([
      [' a', 0.2, 0.6, [1]],
      [' b', 1.62, 1.98, [3]],
      [' c', 2.2, 2.6, [4]],
    ]);
    expect(segments).toEqual([
      { start: 0, end: 1.75, text: 'a', tokens: [1] },
      { start: 1.75, end: 3.5, text: 'b c', tokens: [3, 4] },
    ]);
  });

  it('keeps a word on the far side of the cut when the other window heard nothing there', () => {
    // the second window is silent where ' b' (centre 1.9) is: the first window's ' b' survives
    const { words } = mergeWindows(
      [
        { start: 0, end: 2, words: [word(' a', 0.2, 0.6), word(' b', 1.8, 2)] },
        { start: 1.5, end: 3.5, words: [word(' c', 2.2, 2.6)] },
      ],
      3.5,
    );
    expect(words.map((w) => w.surface)).toEqual([' a', ' b', ' c']);
  });

  it('makes times monotonic and clamps them to the duration', () => {
    // the windows disagree by 0.1 s about where ' b' ends and ' c' starts; ' c' also runs past the audio
    const { words } = mergeWindows(
      [
        { start: 0, end: 2, words: [word(' a', 0.2, 0.6), word(' b', 1.2, 1.7)] },
        { start: 1.5, end: 3.5, words: [word(' b', 1.25, 1.72), word(' c', 1.6, 3.6)] },
      ],
      3,
    );
    expect(words.map((w) => [w.surface, w.start, w.end])).toEqual([
      [' a', 0.2, 0.6],
      [' b', 1.2, 1.7],
      [' c', 1.7, 3],
    ]);
  });

  it('returns no words and no segments for silence', () => {
    expect(mergeWindows([{ start: 0, end: 2, words: [] }], 1)).toEqual({ words: [], segments: [] });
  });
});
