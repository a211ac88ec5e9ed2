import { describe, expect, it } from 'vitest';
import { highlightGroups } from './testing/report-html.js';
import { textHighlights } from './text-highlights.js';

describe('textHighlights', () => {
  it('cuts the text at every span boundary and gives each piece the largest covering weight', () => {
    const text = 'A dog runs on sand.';
    // 'dog runs' (2–10) at 0.2 overlaps 'runs on' (6–13) at 0.5: 'runs' (6–10) takes the larger 0.5
    const [pieces] = highlightGroups(
      textHighlights(text, [
        { start: 2, end: 10, weight: 0.2 },
        { start: 6, end: 13, weight: 0.5 },
      ]).html,
    );
    expect(pieces).toEqual([
      { text: 'A ', weight: 0 },
      { text: 'dog ', weight: 0.2 },
      { text: 'runs', weight: 0.5 },
      { text: ' on', weight: 0.5 },
      { text: ' sand.', weight: 0 },
    ]);
  });

  it('clips spans to the text and keeps every character once, escaped', () => {
    const text = 'x < y & "z"';
    const [pieces] = highlightGroups(
      textHighlights(text, [
        { start: -4, end: 1, weight: 1 },
        { start: 9, end: 40, weight: 0.25 },
      ]).html,
    );
    expect(pieces?.map((piece) => piece.text).join('')).toBe(text);
    expect(pieces?.[0]).toEqual({ text: 'x', weight: 1 });
    expect(pieces?.at(-1)).toEqual({ text: 'z"', weight: 0.25 });
  });

  it('shades nothing without spans', () => {
    expect(highlightGroups(textHighlights('plain', []).html)).toEqual([
      [{ text: 'plain', weight: 0 }],
    ]);
  });
});
