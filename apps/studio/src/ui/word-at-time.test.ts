import { describe, expect, it } from 'vitest';
import { wordAtTime } from './word-at-time.js';

const words = [
  { start: 0.1, end: 0.5 },
  { start: 0.5, end: 0.9 },
  { start: 1.2, end: 1.6 },
];

describe('wordAtTime', () => {
  it('finds the word being spoken, and none in a pause', () => {
    const times = [0, 0.1, 0.3, 0.5, 0.89, 0.9, 1.0, 1.2, 1.6, 2];
    expect(times.map((time) => wordAtTime(words, time))).toEqual([
      -1, 0, 0, 1, 1, -1, -1, 2, 2, -1,
    ]);
  });

  it('agrees with a linear scan over many times', () => {
    const scan = (time: number): number => {
      const index = words.findIndex(
        (word, at) =>
          word.start <= time && (time < word.end || (at === words.length - 1 && time === word.end)),
      );
      return index;
    };
    for (let time = -0.05; time < 2; time += 0.01) expect(wordAtTime(words, time)).toBe(scan(time));
  });

  it('handles no words and zero-length words', () => {
    expect(wordAtTime([], 1)).toBe(-1);
    expect(wordAtTime([{ start: 1, end: 1 }], 1)).toBe(0);
  });
});
