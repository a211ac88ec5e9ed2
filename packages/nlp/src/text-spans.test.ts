import { describe, expect, it } from 'vitest';
import { splitWords } from './split-words.js';
import { sentenceSpans, wordSpans } from './text-spans.js';

describe('wordSpans', () => {
  it('finds the white-space separated words, as splitWords counts them', () => {
    const text = ' Two dogs,  run.\tfast ';
    expect(wordSpans(text)).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 10 },
      { start: 12, end: 16 },
      { start: 17, end: 21 },
    ]);
    expect(wordSpans(text).map((span) => text.slice(span.start, span.end))).toEqual(
      splitWords(text),
    );
    expect(wordSpans('   ')).toEqual([]);
  });
});

describe('sentenceSpans', () => {
  const texts = (text: string) =>
    sentenceSpans(text).map((span) => text.slice(span.start, span.end));

  it('ends sentences at . ! ? before white space, at line breaks and at the end', () => {
    expect(sentenceSpans('A dog runs. It is "fast!" Then\nit sleeps')).toEqual([
      { start: 0, end: 11 },
      { start: 12, end: 25 },
      { start: 26, end: 30 },
      { start: 31, end: 40 },
    ]);
    expect(texts('Really?! Yes... (ok.) no')).toEqual(['Really?!', 'Yes...', '(ok.)', 'no']);
  });

  it('keeps numbers and a text without closing punctuation whole, and drops blank lines', () => {
    expect(texts('It costs 3.50 dollars')).toEqual(['It costs 3.50 dollars']);
    expect(texts('  one.\n\n two  ')).toEqual(['one.', 'two']);
    expect(texts('')).toEqual([]);
  });
});
