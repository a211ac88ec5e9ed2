import { describe, expect, it } from 'vitest';
import { alignedWords } from './aligned-words.js';
import { terminalStyle } from './terminal-style.js';

describe('alignedWords', () => {
  const translation = {
    sourceWords: ['A', 'dog', 'runs', 'fast.'],
    targetWords: ['Ein', 'Hund', 'läuft', 'schnell.'],
    alignment: [
      { source: 0, target: 0, weight: 0.8 },
      { source: 1, target: 1, weight: 0.4 },
      { source: 3, target: 2, weight: 0.1 },
      { source: 2, target: 2, weight: 0.3 },
    ],
  };

  it('lists every target word with its linked source words, strongest first, in plain text', () => {
    expect(alignedWords(translation, terminalStyle({ isTTY: false }, {}))).toEqual([
      'Ein       ← A 0.80',
      'Hund      ← dog 0.40',
      'läuft     ← runs 0.30, fast. 0.10',
      'schnell.  ← –',
    ]);
  });

  it('shades each source word by its weight over the strongest link on a colour terminal', () => {
    const colour = terminalStyle({ isTTY: true }, {});
    const lines = alignedWords(translation, colour);
    // dog: 0.4 / 0.8 = 0.5 → step 3 of 7
    expect(lines[1]).toBe(`Hund      ← ${colour.heat('dog', 0.5)} 0.40`);
    expect(lines[0]).toContain(colour.heat('A', 1));
  });
});
