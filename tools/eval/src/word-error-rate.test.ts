import { randomInt, seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { quantile, wordBoundaryErrors } from './word-boundary-error.js';
import {
  alignWords,
  errorsPerReference,
  normalizeWords,
  wordErrorRate,
  wordErrors,
} from './word-error-rate.js';

/** Independent reference: the edit distance by plain memoised recursion. */
function editDistance(a: readonly string[], b: readonly string[]): number {
  const memo = new Map<string, number>();
  const distance = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const value = Math.min(
      distance(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      distance(i - 1, j) + 1,
      distance(i, j - 1) + 1,
    );
    memo.set(key, value);
    return value;
  };
  return distance(a.length, b.length);
}

describe('normalizeWords', () => {
  it('lower-cases, drops apostrophes and turns other punctuation and symbols into spaces', () => {
    expect(normalizeWords("Hello, World! Don't stop—now.")).toEqual([
      'hello',
      'world',
      'dont',
      'stop',
      'now',
    ]);
    expect(normalizeWords('  well-known  "quotes" + $5 ')).toEqual([
      'well',
      'known',
      'quotes',
      '5',
    ]);
    expect(normalizeWords(' ... ')).toEqual([]);
  });
});

describe('word error rate', () => {
  it('counts a hand-worked substitution and deletion', () => {
    // the cat sat on the mat / the cat sit on mat: 'sat' -> 'sit' (S), the second 'the' missing (D): 2 / 6
    expect(wordErrors('The cat sat on the mat.', 'the cat sit on mat')).toEqual({
      substitutions: 1,
      deletions: 1,
      insertions: 0,
      referenceWords: 6,
    });
    expect(wordErrorRate(['The cat sat on the mat.'], ['the cat sit on mat']).wer).toBeCloseTo(
      2 / 6,
      15,
    );
  });

  it('counts insertions, and a hypothesis with no words as all deletions', () => {
    expect(wordErrors('a b', 'a x b')).toEqual({
      substitutions: 0,
      deletions: 0,
      insertions: 1,
      referenceWords: 2,
    });
    expect(wordErrors('one two three', '')).toEqual({
      substitutions: 0,
      deletions: 3,
      insertions: 0,
      referenceWords: 3,
    });
    // WER can pass 1: two reference words, four inserted ones
    expect(wordErrorRate(['a b'], ['a b c d e f']).wer).toBe(2);
  });

  it('sums edits over the corpus instead of averaging utterance rates', () => {
    // utterance 1: 1 deletion of 3 words; utterance 2: 1 insertion over 2 words -> 2 / 5, not (1/3 + 1/2) / 2
    expect(wordErrorRate(['the cat sat', 'a dog'], ['the cat', 'a big dog'])).toEqual({
      substitutions: 0,
      deletions: 1,
      insertions: 1,
      referenceWords: 5,
      wer: 0.4,
    });
  });

  it('aligns with as many edits as the edit distance, on random word lists', () => {
    const random = seededRandom(17);
    const vocabulary = ['a', 'b', 'c', 'd'];
    for (let trial = 0; trial < 200; trial++) {
      const words = (): string[] =>
        Array.from({ length: randomInt(random, 0, 9) }, () => vocabulary[randomInt(random, 0, 4)]!);
      const [reference, hypothesis] = [words(), words()];
      const edits = alignWords(reference, hypothesis);
      expect(edits.filter((edit) => edit.kind !== 'match').length).toBe(
        editDistance(reference, hypothesis),
      );
      // every word is accounted for once, in order
      expect(edits.flatMap((edit) => ('reference' in edit ? [edit.reference] : []))).toEqual(
        reference.map((_, i) => i),
      );
      expect(edits.flatMap((edit) => ('hypothesis' in edit ? [edit.hypothesis] : []))).toEqual(
        hypothesis.map((_, i) => i),
      );
    }
  });

  it('refuses lists of different lengths and references without words', () => {
    expect(() => wordErrorRate(['a'], [])).toThrow(/expected as many hypotheses as references/);
    expect(() => wordErrorRate(['...'], ['a'])).toThrow(/the references hold no words/);
  });
});

describe('errors per reference', () => {
  it('charges each edit of a joined hypothesis to the reference it falls in', () => {
    // 'on' is inserted after 'sat' (first reference), 'big' after 'a' (second), 'cat' → 'hat' is the first's
    expect(errorsPerReference(['The cat sat.', 'A dog.'], 'the hat sat on a big dog')).toEqual([
      2, 1,
    ]);
    expect(errorsPerReference(['one two', 'three'], 'zero one two three')).toEqual([1, 0]); // before any: the first
    expect(errorsPerReference(['one two', 'three', 'four'], 'one two four')).toEqual([0, 1, 0]);
  });

  it('sums to the errors of the whole against the references joined', () => {
    const references = ['a man rides a horse', 'two dogs play', 'the sun sets over water'];
    const hypothesis = 'a men rides horse too dogs play in the sunset over water today';
    const whole = wordErrors(references.join(' '), hypothesis);
    const sum = errorsPerReference(references, hypothesis).reduce((a, b) => a + b, 0);
    expect(sum).toBe(whole.substitutions + whole.deletions + whole.insertions);
    expect(sum).toBeGreaterThan(0);
  });
});

describe('word boundary error', () => {
  it('times only the matched words', () => {
    const { startErrors, endErrors } = wordBoundaryErrors(
      [
        { word: 'A', start: 0, end: 0.5 },
        { word: 'dog', start: 0.5, end: 1 },
        { word: 'runs.', start: 1.2, end: 1.8 },
      ],
      [
        { word: 'a', start: 0.1, end: 0.45 },
        { word: 'cat', start: 0.45, end: 1 }, // substitution: not timed
        { word: 'runs', start: 1.25, end: 1.9 },
      ],
    );
    expectCloseList(startErrors, [0.1, 0.05]);
    expectCloseList(endErrors, [0.05, 0.1]);
  });

  it('interpolates quantiles as numpy does', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 12); // position 2.7: 3 + 0.7 · (4 − 3)
    expect(quantile([7], 0.9)).toBe(7);
    expect(() => quantile([], 0.5)).toThrow(/expected values/);
  });
});

function expectCloseList(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 12));
}
