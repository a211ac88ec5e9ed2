import { describe, expect, it } from 'vitest';
import {
  leadingPause,
  nextWindowStart,
  sentenceHandover,
  windowBounds,
  windowHandoff,
} from './window-plan.js';

const rate = 1000; // 1 kHz keeps the arrays small: frames of 20 samples, hop 10

/**
 * 6 s of a loud square wave over a faint one (a noise floor of amplitude `noise`, or `noise(i)` at sample i), silent
 * but for the floor in [from, to) seconds.
 */
function windowWith(
  pauses: [number, number][],
  noise: (i: number) => number = () => 0.001,
): Float32Array {
  return Float32Array.from({ length: 6 * rate }, (_, i) => {
    const floor = i % 2 === 0 ? noise(i) : -noise(i);
    return pauses.some(([from, to]) => i >= from * rate && i < to * rate)
      ? floor
      : floor + (i % 4 < 2 ? 0.5 : -0.5);
  });
}

/** The window ends at the end of the pause [from, to) seconds and the next starts at its start (to a frame or two). */
function expectCutAt(
  { end, next }: { end: number; next: number | undefined },
  [from, to]: [number, number],
): void {
  expect(next).toBeGreaterThanOrEqual(from * rate - 10);
  expect(next).toBeLessThanOrEqual(from * rate + 20);
  expect(end).toBeGreaterThanOrEqual(to * rate - 20);
  expect(end).toBeLessThanOrEqual(to * rate + 10);
}

describe('windowBounds', () => {
  it('cuts at the longest pause after the first third: the window ends at its end, the next starts at its start', () => {
    const bounds = windowBounds(
      windowWith([
        [1.0, 1.5],
        [3.5, 3.9],
        [5.0, 5.3],
        [4.4, 4.5],
      ]),
      false,
      1 * rate,
      rate,
    );
    // the pause at 1.0–1.5 s is longer but in the first third; 4.4–4.5 s is too short to count
    expectCutAt(bounds, [3.5, 3.9]);
  });

  it('finds a pause under a noise floor 30 dB over the quiet of the rest of the window', () => {
    // sentences recorded at different levels: noise of amplitude 0.016 (−30 dB) until 4 s, digital silence after;
    // the noisy pause 3.0–3.9 s is the longest (a floor read off the window's quietest tenth would miss it)
    const bounds = windowBounds(
      windowWith(
        [
          [3.0, 3.9],
          [5.0, 5.7],
        ],
        (i) => (i < 4 * rate ? 0.016 : 0),
      ),
      false,
      1 * rate,
      rate,
    );
    expectCutAt(bounds, [3.0, 3.9]);
  });

  it('without a pause ends at the quietest frame of the last overlap, the next ½–1 overlap before it', () => {
    const samples = windowWith([]);
    samples.fill(0.01, 5500, 5520); // one quiet frame in the last second
    const { end, next } = windowBounds(samples, false, 1 * rate, rate);
    expect(end).toBeGreaterThanOrEqual(5500);
    expect(end).toBeLessThanOrEqual(5520);
    expect(end - next!).toBeGreaterThan(0.5 * rate - 1);
    expect(end - next!).toBeLessThanOrEqual(1 * rate);
  });

  it('keeps all of the last window', () => {
    expect(windowBounds(new Float32Array(2500), true, 1000, rate)).toEqual({
      end: 2500,
      next: undefined,
    });
  });
});

describe('leadingPause', () => {
  it('moves a window that opens with a pause to 0.1 s before its first sound', () => {
    const skip = leadingPause(windowWith([[0, 0.9]]), rate);
    expect(skip).toBeGreaterThanOrEqual(0.8 * rate - 20);
    expect(skip).toBeLessThanOrEqual(0.8 * rate + 10);
  });

  it('skips the last of the previous sound before the pause, but not a window that opens with sound', () => {
    // 0.2 s of the previous sentence, a pause to 1.2 s, then speech
    const skip = leadingPause(windowWith([[0.2, 1.2]]), rate);
    expect(skip).toBeGreaterThanOrEqual(1.1 * rate - 20);
    expect(skip).toBeLessThanOrEqual(1.1 * rate + 10);
    expect(leadingPause(windowWith([[0.8, 1.5]]), rate)).toBe(0); // opens with 0.8 s of sound
    expect(leadingPause(windowWith([]), rate)).toBe(0);
    expect(leadingPause(new Float32Array(6 * rate), rate)).toBe(0); // nothing but silence: nothing to move to
  });

  it('skips a tail of the previous sound whose level dips in and out of quiet before the pause', () => {
    // 0.25 s of a reverberant tail that alternates every 30 ms between 15 and 25 dB under the speech to come (a
    // quiet frame in its first half second is no pause), digital silence to 0.65 s, then speech
    const samples = windowWith([[0, 0.65]], (i) =>
      i >= 0.25 * rate
        ? 0
        : Math.floor(i / 30) % 2 === 0
          ? 0.5 * 10 ** (-25 / 20)
          : 0.5 * 10 ** (-15 / 20),
    );
    const skip = leadingPause(samples, rate);
    expect(skip).toBeGreaterThanOrEqual(0.55 * rate - 20);
    expect(skip).toBeLessThanOrEqual(0.55 * rate + 10);
  });

  it('never moves by less than nothing when the pause is shorter than the lead-in', () => {
    expect(leadingPause(windowWith([[0, 0.05]]), rate)).toBe(0);
  });
});

describe('nextWindowStart', () => {
  it('starts in the pause after the last word when the model stopped before the planned start', () => {
    const samples = windowWith([[2.6, 3.0]]);
    // last word ends at 12.55 s (2.55 s into the window that starts at 10 s): the quiet 2.6–3.0 s is chosen
    const next = nextWindowStart(10_000, 4_600, [{ end: 12.55 }], samples, rate)!;
    expect(next).toBeGreaterThanOrEqual(12_600);
    expect(next).toBeLessThan(13_000);
    expect(nextWindowStart(10_000, 4_600, [{ end: 15.9 }], samples, rate)).toBe(14_600); // plan first
  });

  it('follows the plan without words, advances at least half a second, and ends after the last window', () => {
    const samples = windowWith([]);
    expect(nextWindowStart(10_000, 4_600, [], samples, rate)).toBe(14_600);
    expect(nextWindowStart(10_000, 4_600, [{ end: 10.1 }], samples, rate)).toBeGreaterThanOrEqual(
      10_500,
    );
    expect(nextWindowStart(10_000, undefined, [{ end: 12 }], samples, rate)).toBeUndefined();
  });
});

/** Words one after the other from `from` seconds, each lasting `seconds`. */
function spoken(surfaces: string[], from: number, seconds = 0.4) {
  return surfaces.map((surface, i) => ({
    surface,
    start: from + i * seconds,
    end: from + (i + 1) * seconds,
  }));
}

describe('sentenceHandover', () => {
  it('hands over after the last sentence end that goes on, 0.15 s before the next word', () => {
    const words = spoken([' A', ' dog.', ' Two', ' cats!', ' One', ' bird'], 10);
    // ' cats!' ends at 11.6 s; ' One' starts there: the next window opens at 11.45 s
    expect(sentenceHandover(10_000, words, 0, rate)).toEqual({ keep: 4, next: 11_450 });
    const quoted = spoken([' He', ' said', ' "go."', ' ', ' Then'], 10);
    expect(sentenceHandover(10_000, quoted, 0, rate)).toEqual({ keep: 3, next: 11_450 });
  });

  it('gives none when the transcript ends a sentence, ends none, or ends it within half a second', () => {
    expect(sentenceHandover(10_000, spoken([' A', ' dog.', ' Two', ' cats.'], 10), 0, rate)).toBe(
      undefined,
    );
    expect(sentenceHandover(10_000, spoken([' A', ' dog.', ' Two.', ' '], 10), 0, rate)).toBe(
      undefined,
    );
    expect(sentenceHandover(10_000, spoken([' A', ' dog', ' e.g', ' runs'], 10), 0, rate)).toBe(
      undefined,
    );
    expect(sentenceHandover(10_000, spoken([' Yes.', ' A', ' dog'], 10), 0, rate)).toBe(undefined);
    expect(sentenceHandover(10_000, [], 0, rate)).toBeUndefined();
  });

  it('gives none where the hand-over would come before the previous window’s audio ended', () => {
    const words = spoken([' A', ' dog.', ' Two', ' cats'], 10); // hands over at 10.65 s
    expect(sentenceHandover(10_000, words, 10_650, rate)).toEqual({ keep: 2, next: 10_650 });
    expect(sentenceHandover(10_000, words, 10_700, rate)).toBeUndefined();
  });

  it('opens no earlier than the middle of the sentence end, nor within half a second of the window start', () => {
    // a next word timed to start early, inside the sentence's last word
    const words = [
      { surface: ' A', start: 10, end: 10.3 },
      { surface: ' dog.', start: 10.3, end: 11.3 },
      { surface: ' Two', start: 10.5, end: 11.6 },
    ];
    expect(sentenceHandover(10_000, words, 0, rate)).toEqual({ keep: 2, next: 10_800 });
    const short = [
      { surface: ' Hi.', start: 10, end: 10.5 },
      { surface: ' Two', start: 10.5, end: 10.9 },
    ];
    expect(sentenceHandover(10_000, short, 0, rate)).toEqual({ keep: 1, next: 10_500 });
  });
});

describe('windowHandoff', () => {
  const read = windowWith([[2.6, 3.0]]);

  it('hands over after a sentence: keeps its words up to the sentence end, and its share ends there', () => {
    const words = spoken([' A', ' dog.', ' Two', ' cats'], 10.2);
    // planned: the next window at the pause, 2.6 s in; the sentence hands over earlier, at 10.85 s
    expect(windowHandoff(10_000, read, 3_000, 2_600, words, 9_000, rate)).toEqual({
      end: 10_850,
      keep: 2,
      next: 10_850,
    });
  });

  it('without a sentence end, keeps every word and follows the plan, or where the model stopped', () => {
    const words = spoken([' A', ' dog', ' runs'], 12.2);
    expect(windowHandoff(10_000, read, 3_000, 2_600, words, 9_000, rate)).toEqual({
      end: 13_000,
      keep: 3,
      next: 12_600,
    });
    // the model stopped at 11.4 s, before the planned 12.6 s: the share ends where the next window starts
    const stopped = windowHandoff(
      10_000,
      read,
      3_000,
      2_600,
      spoken([' A', ' dog'], 10.6),
      0,
      rate,
    );
    expect(stopped.keep).toBe(2);
    expect(stopped.end).toBe(stopped.next);
    expect(stopped.next).toBeGreaterThanOrEqual(11_300);
    expect(stopped.next).toBeLessThanOrEqual(11_900);
  });

  it('keeps everything of the last window and plans no next one', () => {
    const words = spoken([' A', ' dog.', ' Two', ' cats'], 10.2);
    expect(windowHandoff(10_000, read, 6_000, undefined, words, 9_000, rate)).toEqual({
      end: 16_000,
      keep: 4,
      next: undefined,
    });
  });
});
