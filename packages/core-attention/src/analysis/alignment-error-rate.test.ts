import { describe, expect, it } from 'vitest';
import {
  alignmentErrorRate,
  corpusAlignmentErrorRate,
  formatPharaohAlignment,
  parsePharaohAlignment,
  type AlignmentPair,
} from './index.js';

/** Links from Pharaoh text, e.g. '0-0 1-2'. */
const links = (text: string): AlignmentPair[] => parsePharaohAlignment(text).sure;

describe('alignmentErrorRate', () => {
  it('is 0 for a perfect alignment, with or without possible links around it', () => {
    const gold = links('0-0 1-1 2-3');
    expect(alignmentErrorRate(gold, gold)).toMatchObject({
      alignmentErrorRate: 0,
      precision: 1,
      recall: 1,
    });
    expect(alignmentErrorRate(gold, gold, links('3-2 2-2')).alignmentErrorRate).toBe(0);
  });

  it('is 1 for an empty alignment against sure links (recall 0, vacuous precision 1), and 0 when nothing is sure or predicted', () => {
    expect(alignmentErrorRate([], links('0-0 1-1'))).toMatchObject({
      alignmentErrorRate: 1,
      precision: 1,
      recall: 0,
    });
    expect(alignmentErrorRate([], [], links('0-1'))).toMatchObject({
      alignmentErrorRate: 0,
      precision: 1,
      recall: 1,
    });
  });

  it('gives partial credit for links that are only possible', () => {
    // A = {0-1, 1-0}, S = {0-0, 1-1}, P-only = {0-1, 1-0}: |A∩S| = 0, |A∩P| = 2
    // AER = 1 − (0 + 2) / (2 + 2) = 0.5; precision 2/2 = 1; recall 0/2 = 0
    const scores = alignmentErrorRate(links('0-1 1-0'), links('0-0 1-1'), links('0-1 1-0'));
    expect(scores).toEqual({
      alignmentErrorRate: 0.5,
      precision: 1,
      recall: 0,
      counts: { predicted: 2, sure: 2, predictedSure: 0, predictedPossible: 2 },
    });
  });

  it('matches a hand-worked mixed case and counts duplicates once', () => {
    // A = {0-0, 1-1, 2-1} (0-0 listed twice), S = {0-0, 1-2}, P = S ∪ {2-1}
    // |A| = 3, |S| = 2, |A∩S| = 1, |A∩P| = 2 -> AER = 1 − 3/5 = 0.4, precision 2/3, recall 1/2
    const scores = alignmentErrorRate(links('0-0 0-0 1-1 2-1'), links('0-0 1-2'), links('2-1'));
    expect(scores.alignmentErrorRate).toBeCloseTo(0.4, 15);
    expect(scores.precision).toBeCloseTo(2 / 3, 15);
    expect(scores.recall).toBe(0.5);
  });

  it('sums counts over a corpus instead of averaging sentence AERs', () => {
    // sentence 1: A = S = {0-0} -> AER 0. sentence 2: A = {0-1, 1-0, 2-2}, S = {0-0}: AER 1.
    // corpus: |A| = 4, |S| = 2, |A∩S| = 1, |A∩P| = 1 -> 1 − 2/6 = 2/3 (the sentence mean would be 0.5)
    const corpus = corpusAlignmentErrorRate([
      { predicted: links('0-0'), sure: links('0-0') },
      { predicted: links('0-1 1-0 2-2'), sure: links('0-0') },
    ]);
    expect(corpus.alignmentErrorRate).toBeCloseTo(2 / 3, 15);
    expect(corpus.counts).toEqual({
      predicted: 4,
      sure: 2,
      predictedSure: 1,
      predictedPossible: 1,
    });
  });

  it('rejects malformed links', () => {
    expect(() => alignmentErrorRate([{ source: -1, target: 0 }], [])).toThrow(
      'alignmentErrorRate(): predicted link must be { source, target } with non-negative integer positions, got {"source":-1,"target":0}.',
    );
    expect(() => corpusAlignmentErrorRate({} as never)).toThrow(/sentences must be an array/);
    expect(() => formatPharaohAlignment([{ source: 0.5, target: 1 }])).toThrow(
      /link must be \{ source, target \} with non-negative integer positions, got \{"source":0.5,"target":1\}/,
    );
  });
});

describe('Pharaoh format', () => {
  it('parses sure and possible links, 0- or 1-based', () => {
    expect(parsePharaohAlignment('  0-0 1?2\t2p1 \n')).toEqual({
      sure: [{ source: 0, target: 0 }],
      possible: [
        { source: 1, target: 2 },
        { source: 2, target: 1 },
      ],
    });
    expect(parsePharaohAlignment('1-1 3?2', { indexBase: 1 })).toEqual({
      sure: [{ source: 0, target: 0 }],
      possible: [{ source: 2, target: 1 }],
    });
    expect(parsePharaohAlignment('')).toEqual({ sure: [], possible: [] });
  });

  it('names the bad link', () => {
    expect(() => parsePharaohAlignment('0-0 1:2')).toThrow(
      "parsePharaohAlignment(): link 2 must be 'i-j' (sure) or 'i?j' / 'ipj' (possible) with positions ≥ 0, got '1:2'.",
    );
    expect(() => parsePharaohAlignment('0-1', { indexBase: 1 })).toThrow(
      /link 1 must be .* positions ≥ 1, got '0-1'/,
    );
  });

  it('formats links sorted by source then target, and parses back', () => {
    const written = formatPharaohAlignment([
      { source: 2, target: 0 },
      { source: 0, target: 3 },
      { source: 0, target: 1 },
    ]);
    expect(written).toBe('0-1 0-3 2-0');
    expect(formatPharaohAlignment(parsePharaohAlignment(written).sure)).toBe(written);
  });
});
