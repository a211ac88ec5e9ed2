import { describe, expect, it } from 'vitest';
import { highlightSpans } from './highlight-spans.js';
import { terminalStyle } from './terminal-style.js';

const plain = terminalStyle({ isTTY: false }, {});
const colour = terminalStyle({ isTTY: true }, {});

describe('highlightSpans', () => {
  it('brackets each highlighted stretch in plain text, touching spans as one', () => {
    const text = 'A brown dog catches a frisbee in the air.';
    const spans = [
      { start: 2, end: 7, weight: 0.2 },
      { start: 8, end: 11, weight: 0.4 },
      { start: 11, end: 19, weight: 0.1 },
      { start: 33, end: 41, weight: 0.3 },
    ];
    expect(highlightSpans(text, spans, plain)).toBe(
      'A [brown] [dog catches] a frisbee in [the air.]',
    );
    expect(highlightSpans('abc', [], plain)).toBe('abc');
  });

  it('shades each run by its weight over the heaviest on a colour terminal', () => {
    const text = 'one two';
    const shaded = highlightSpans(
      text,
      [
        { start: 0, end: 3, weight: 0.5 },
        { start: 4, end: 7, weight: 0.25 },
      ],
      colour,
    );
    // 'one' is the heaviest (1 → 208), 'two' half of it (0.5 → step 3, 221), the space unshaded
    expect(shaded).toBe(`${colour.heat('one', 1)} ${colour.heat('two', 0.5)}`);
  });
});
