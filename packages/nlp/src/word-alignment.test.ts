import { createAttentionMaps } from '@attn/core-attention';
import { describe, expect, it } from 'vitest';
import { splitWords } from './split-words.js';
import { wordAlignment } from './word-alignment.js';

// Source tokens ['▁Ein', '▁Hu', 'nd', '</s>'] (words: Ein, Hund); decoder inputs [<s>, '▁A', '▁dog'] produce
// ['▁A', '▁dog', '</s>']. Two heads of one layer; head 0 looks where the target is produced, head 1 is noise.
const head0 = [
  [0.8, 0.1, 0.05, 0.05], // producing 'A': looks at 'Ein'
  [0.1, 0.5, 0.3, 0.1], // producing 'dog': looks at 'Hu' + 'nd'
  [0.05, 0.05, 0.1, 0.8], // producing '</s>': looks at '</s>'
];
const head1 = [
  [0.25, 0.25, 0.25, 0.25],
  [0.25, 0.25, 0.25, 0.25],
  [0.25, 0.25, 0.25, 0.25],
];
const maps = createAttentionMaps({
  kind: 'cross',
  layers: [0],
  heads: [0, 1],
  queryLabels: ['<s>', '▁A', '▁dog'],
  keyLabels: ['▁Ein', '▁Hu', 'nd', '</s>'],
  data: Float32Array.from([...head0.flat(), ...head1.flat()]),
});
const sourceWordIds = [0, 1, 1, null];
const targetWordIds = [0, 1, null];

describe('wordAlignment', () => {
  it('averages heads, pools subwords into words and links each target word to its best source word', () => {
    // head mean of row 1: [0.175, 0.375, 0.275, 0.175]; pooled source words: Ein 0.175, Hund 0.65 (renormalised)
    const links = wordAlignment(maps, sourceWordIds, targetWordIds, { heads: [0] });
    expect(links.map(({ source, target }) => [source, target])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(links[1]?.weight).toBeCloseTo(0.8 / 0.9, 5); // Hund = 0.5 + 0.3, renormalised over Ein 0.1 + Hund 0.8
  });

  it('reads target word i one row later with shift (where the decoder reads it)', () => {
    // shifted: row 0 is input row 1 (reading 'A'): Ein 0.1, Hund 0.8 → Hund; row 1 is input row 2 (reading 'dog'):
    // Ein 0.05, Hund 0.15 → Hund; the last target ('</s>') is never read, so it has no row
    const links = wordAlignment(maps, sourceWordIds, targetWordIds, { heads: [0], shift: true });
    expect(links.map(({ source, target }) => [source, target])).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });

  it('links mutually with itermax', () => {
    const links = wordAlignment(maps, sourceWordIds, targetWordIds, {
      heads: [0],
      method: 'itermax',
    });
    expect(links.map(({ source, target }) => [source, target])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});

describe('splitWords', () => {
  it('splits on white space and keeps punctuation with its word', () => {
    expect(splitWords('  Two dogs,  running. ')).toEqual(['Two', 'dogs,', 'running.']);
    expect(splitWords('')).toEqual([]);
  });
});
