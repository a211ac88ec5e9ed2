import { describe, expect, it } from 'vitest';
import { terminalStyle } from './terminal-style.js';
import { timedWords } from './timed-words.js';

describe('timedWords', () => {
  const words = [
    { word: 'Hello', start: 0.14, end: 0.5, confidence: 0.97 },
    { word: 'world.', start: 0.5, end: 10.981, confidence: 0.41 },
  ];

  it('aligns times (two decimals) and words in columns, with the confidence in percent', () => {
    expect(timedWords(words, terminalStyle({ isTTY: false }, {}))).toEqual([
      ' 0.14 →  0.50  Hello   97%',
      ' 0.50 → 10.98  world.  41%',
    ]);
  });

  it('dims words under 50% confidence on a colour terminal', () => {
    const colour = terminalStyle({ isTTY: true }, {});
    const [sure, unsure] = timedWords(words, colour);
    expect(sure?.includes('\x1b')).toBe(false);
    expect(unsure).toBe(colour.dim(' 0.50 → 10.98  world.  41%'));
  });
});
