import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, seededRandom } from '@attn/core-attention/testing';
import { corpusBleu, tokenize13a } from './bleu.js';

describe('corpusBleu', () => {
  it('tokenizes like mteval-v13a', () => {
    expect(tokenize13a('Ein Hund, der läuft.')).toBe('Ein Hund , der läuft .');
    expect(tokenize13a('3.5-4 m (ca.)')).toBe('3.5 - 4 m ( ca . )');
    expect(tokenize13a('&quot;a&amp;b&quot;')).toBe('" a & b "');
  });

  it('scores a hand-worked corpus', () => {
    // hypothesis 'the the cat' vs reference 'the cat': 1-grams clipped 2/3, 2-grams 1/2, 3-grams 0/1 (smoothed:
    // 100 / (2 · 1) = 50), 4-grams: no total, loop stops with precision 0 → score 0 (sacreBLEU gives 0 too)
    const short = corpusBleu(['the the cat'], ['the cat']);
    expect(short.precisions.slice(0, 3)).toEqual([(100 * 2) / 3, 50, 50]);
    expect(short.score).toBe(0);
    // identical four-word sentences: all precisions 100, no brevity penalty
    expect(corpusBleu(['a b c d'], ['a b c d']).score).toBeCloseTo(100, 10);
    // hypothesis shorter than reference: BP = exp(1 - 5/4)
    expect(corpusBleu(['a b c d'], ['a b c d e']).brevityPenalty).toBeCloseTo(
      Math.exp(1 - 5 / 4),
      12,
    );
    expect(() => corpusBleu(['a'], [])).toThrow(/expected as many references/);
  });

  const python = '/usr/bin/python3';
  it.runIf(existsSync(python))("equals the zoo's Python implementation on random corpora", () => {
    const random = seededRandom(5);
    const vocabulary = [
      'a',
      'dog',
      'runs',
      ',',
      '.',
      'der',
      'Hund',
      'läuft',
      '3.5',
      '-',
      'x-ray',
      '(',
      ')',
      'Mann',
    ];
    const sentence = (): string =>
      Array.from(
        { length: 3 + Math.floor(random() * 12) },
        () => vocabulary[Math.floor(random() * vocabulary.length)],
      ).join(random() < 0.5 ? ' ' : '');
    const hypotheses = Array.from({ length: 40 }, sentence);
    const references = Array.from({ length: 40 }, sentence);
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(`${repositoryRoot()}/tools/model-zoo`)})`,
      'from zoo.bleu import corpus_bleu',
      'h, r = json.load(sys.stdin)',
      'print(json.dumps(corpus_bleu(h, r).score))',
    ].join('\n');
    const expected = JSON.parse(
      execFileSync(python, ['-c', script], {
        input: JSON.stringify([hypotheses, references]),
      }).toString(),
    );
    expect(corpusBleu(hypotheses, references).score).toBeCloseTo(expected, 10);
  });
});
