import { describe, expect, it } from 'vitest';
import { expectClose, randomNormal, seededRandom } from '../testing/index.js';
import { createTensor } from '../tensor/index.js';
import { poolSubwords, wordIdsFromOffsets } from './index.js';

describe('wordIdsFromOffsets', () => {
  it('maps subwords to whitespace words and special tokens to null', () => {
    // "<s> ▁un believ able ▁walk s </s>" over "unbelievable walks"
    const text = 'unbelievable walks';
    expect(
      wordIdsFromOffsets(text, [
        [0, 0],
        [0, 2],
        [2, 8],
        [8, 12],
        [12, 17],
        [17, 18],
        [18, 18],
      ]),
    ).toEqual([null, 0, 0, 0, 1, 1, null]);
  });

  it('places tokens whose span starts with a space on the following word, and whitespace-only tokens on none', () => {
    expect(
      wordIdsFromOffsets('  a  bc', [
        [0, 3],
        [3, 5],
        [4, 6],
        [6, 7],
      ]),
    ).toEqual([0, null, 1, 1]);
  });

  it('rejects offsets outside the text', () => {
    expect(() => wordIdsFromOffsets('abc', [[0, 4]])).toThrow(
      'wordIdsFromOffsets(): offsets[0] must be [start, end] with 0 ≤ start ≤ end ≤ 3, got [0,4].',
    );
    expect(() => wordIdsFromOffsets('abc', [[2, 1]])).toThrow(/offsets\[0\] must be/);
  });
});

describe('poolSubwords', () => {
  it('pools a hand-worked example on both axes', () => {
    // rows (targets): <s>, "walk", "ing", "home" -> [null, 0, 0, 1]; columns (sources): "geh", "en", "heim", </s> -> [0, 0, 1, null]
    // prettier-ignore
    const W = createTensor('float64', [4, 4], new Float64Array([
      0.25, 0.25, 0.25, 0.25,
      0.4,  0.2,  0.1,  0.3,
      0.1,  0.5,  0.2,  0.2,
      0.0,  0.1,  0.8,  0.1,
    ]));
    // word 0 row = mean of rows 1, 2; column word 0 = sum of columns 0, 1; column 3 dropped:
    //   [ ((.4+.2) + (.1+.5)) / 2, (.1 + .2) / 2 ] = [0.6, 0.15]  -> renormalised [0.8, 0.2]
    // word 1 row = row 3: [0 + .1, .8] = [0.1, 0.8]             -> renormalised [1/9, 8/9]
    expectClose(
      poolSubwords(W, {
        rowWordIds: [null, 0, 0, 1],
        columnWordIds: [0, 0, 1, null],
        renormalize: false,
      }).data,
      [0.6, 0.15, 0.1, 0.8],
    );
    expectClose(
      poolSubwords(W, { rowWordIds: [null, 0, 0, 1], columnWordIds: [0, 0, 1, null] }).data,
      [0.8, 0.2, 1 / 9, 8 / 9],
    );
    // mean over columns instead: word 0 row = [((.4+.2)/2 + (.1+.5)/2) / 2, .15] = [0.3, 0.15]
    expectClose(
      poolSubwords(W, {
        rowWordIds: [null, 0, 0, 1],
        columnWordIds: [0, 0, 1, null],
        columnReduction: 'mean',
        renormalize: false,
      }).data.subarray(0, 2),
      [0.3, 0.15],
    );
  });

  it('keeps an axis without word ids as it is, and with sum on both axes keeps the total weight of kept tokens', () => {
    const W = createTensor(
      'float32',
      [5, 6],
      Float32Array.from(randomNormal(seededRandom(6), 30), Math.abs),
    );
    expectClose(poolSubwords(W, { renormalize: false }).data, W.data);
    const rowWordIds = [0, 0, 1, null, 2];
    const columnWordIds = [null, 0, 1, 1, 1, 2];
    const pooled = poolSubwords(W, {
      rowWordIds,
      columnWordIds,
      rowReduction: 'sum',
      renormalize: false,
    });
    expect(pooled.dims).toEqual([3, 3]);
    let kept = 0;
    for (let t = 0; t < 5; t++)
      for (let s = 0; s < 6; s++)
        if (rowWordIds[t] !== null && columnWordIds[s] !== null) kept += W.data[t * 6 + s]!;
    expect(pooled.data.reduce((a, b) => a + b)).toBeCloseTo(kept, 5);
  });

  it('rejects word ids of the wrong length or kind', () => {
    const W = createTensor('float32', [2, 2]);
    expect(() => poolSubwords(W, { rowWordIds: [0] })).toThrow(
      'poolSubwords(): rowWordIds must be 2 word ids (non-negative integers, or null for tokens to drop), got [0].',
    );
    expect(() => poolSubwords(W, { columnWordIds: [0, -1] })).toThrow(
      /columnWordIds must be 2 word ids/,
    );
    expect(() => poolSubwords(W, { rowReduction: 'max' as never })).toThrow(
      /rowReduction must be 'sum' or 'mean', got 'max'/,
    );
  });
});
