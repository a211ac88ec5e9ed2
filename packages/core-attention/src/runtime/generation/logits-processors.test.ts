import { describe, expect, it } from 'vitest';
import {
  applyRepetitionPenalty,
  banBadWords,
  banRepeatedNgrams,
  forceTokens,
  suppressTokens,
} from './logits-processors.js';

const minus = Number.NEGATIVE_INFINITY;

describe('applyRepetitionPenalty', () => {
  it('divides positive and multiplies negative scores of seen tokens, once per token', () => {
    // seen {0, 1} (1 twice): 2 / 2 = 1, -1 * 2 = -2; unseen 0.5 and 3 unchanged
    expect(
      Array.from(applyRepetitionPenalty(new Float32Array([2, -1, 0.5, 3]), [0, 1, 1], 2)),
    ).toEqual([1, -2, 0.5, 3]);
  });

  it('makes seen tokens less likely for penalty > 1 whatever their sign, and more likely for < 1', () => {
    const penalised = applyRepetitionPenalty(new Float32Array([4, -4]), [0, 1], 1.25);
    expect(Array.from(penalised)).toEqual([Math.fround(3.2), -5]);
    const encouraged = applyRepetitionPenalty(new Float32Array([4, -4]), [0, 1], 0.5);
    expect(Array.from(encouraged)).toEqual([8, -2]);
  });
});

describe('banRepeatedNgrams', () => {
  it('bans the token that would repeat a trigram', () => {
    // trigrams (1,2,3), (2,3,1), (3,1,2); the sequence ends in (1,2) → 3 is banned
    expect(Array.from(banRepeatedNgrams(new Float32Array(5), [1, 2, 3, 1, 2], 3))).toEqual([
      0,
      0,
      0,
      minus,
      0,
    ]);
  });

  it('bans every follower of the last token for bigrams, and every seen token for unigrams', () => {
    // bigrams after 2: (2,3) and (2,4)
    expect(Array.from(banRepeatedNgrams(new Float32Array(5), [2, 3, 2, 4, 2], 2))).toEqual([
      0,
      0,
      0,
      minus,
      minus,
    ]);
    expect(Array.from(banRepeatedNgrams(new Float32Array(5), [4, 1], 1))).toEqual([
      0,
      minus,
      0,
      0,
      minus,
    ]);
  });

  it('bans nothing while the sequence is shorter than n - 1, or when the last n-1 tokens are new', () => {
    expect(Array.from(banRepeatedNgrams(new Float32Array(3), [1], 3))).toEqual([0, 0, 0]);
    expect(Array.from(banRepeatedNgrams(new Float32Array(4), [1, 2, 3, 2, 1], 3))).toEqual([
      0, 0, 0, 0,
    ]);
  });
});

describe('banBadWords', () => {
  it('always bans single-token words and bans a multi-token word only after its prefix', () => {
    expect(Array.from(banBadWords(new Float32Array(4), [0, 1], [[3], [1, 2]]))).toEqual([
      0,
      0,
      minus,
      minus,
    ]);
    expect(Array.from(banBadWords(new Float32Array(4), [1, 0], [[3], [1, 2]]))).toEqual([
      0,
      0,
      0,
      minus,
    ]);
  });

  it('matches three-token words on the last two tokens only', () => {
    expect(Array.from(banBadWords(new Float32Array(4), [2, 0, 1], [[0, 1, 3]]))).toEqual([
      0,
      0,
      0,
      minus,
    ]);
    expect(Array.from(banBadWords(new Float32Array(4), [0, 2, 1], [[0, 1, 3]]))).toEqual([
      0, 0, 0, 0,
    ]);
    expect(Array.from(banBadWords(new Float32Array(4), [1], [[0, 1, 3]]))).toEqual([0, 0, 0, 0]);
  });
});

describe('suppressTokens and forceTokens', () => {
  it('suppress sets -Infinity; force leaves only the forced tokens at 0', () => {
    expect(Array.from(suppressTokens(new Float32Array([1, 2, 3]), [0, 2]))).toEqual([
      minus,
      2,
      minus,
    ]);
    expect(Array.from(forceTokens(new Float32Array([1, 2, 3]), [1]))).toEqual([minus, 0, minus]);
    expect(Array.from(forceTokens(new Float32Array([1, 2, 3]), [0, 2]))).toEqual([0, minus, 0]);
  });
});
