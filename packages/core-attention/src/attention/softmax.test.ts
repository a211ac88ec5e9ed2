import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import { createTensor } from '../tensor/index.js';
import { expectClose, randomInt, seededRandom } from '../testing/index.js';
import { naiveSoftmax, randomTensor } from '../testing/naive-attention.js';
import { softmax } from './softmax.js';

const rows = (values: number[], rowLength: number) =>
  createTensor('float32', [values.length / rowLength, rowLength], new Float32Array(values));

describe('softmax', () => {
  it('matches a hand-worked row: [0, ln 3] -> [1/4, 3/4]', () => {
    // exp(0) = 1, exp(ln 3) = 3, sum 4
    expectClose(softmax(rows([0, Math.log(3)], 2)).data, [0.25, 0.75]);
  });

  it('matches the float64 reference over the last axis of random tensors', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const dims = [randomInt(random, 1, 4), randomInt(random, 1, 5), randomInt(random, 1, 30)];
      const logits = randomTensor(random, dims, 5);
      const rowLength = dims[2] as number;
      const expected: number[] = [];
      for (let start = 0; start < logits.data.length; start += rowLength) {
        expected.push(...naiveSoftmax(Array.from(logits.data.subarray(start, start + rowLength))));
      }
      const result = softmax(logits);
      expect(result.dims).toEqual(dims);
      expectClose(result.data, expected, { label: `trial ${trial}` });
    }
  });

  it('turns a fully masked row into zeros and leaves other rows alone', () => {
    const result = softmax(rows([-Infinity, -Infinity, -Infinity, 1, -Infinity, 1], 3));
    expect(Array.from(result.data)).toEqual([0, 0, 0, 0.5, 0, 0.5]);
  });

  it('propagates NaN to its whole row only', () => {
    const result = softmax(rows([1, Number.NaN, 2, 0, 0, 0], 3));
    expect(Array.from(result.data.subarray(0, 3)).every(Number.isNaN)).toBe(true);
    expectClose(result.data.subarray(3), [1 / 3, 1 / 3, 1 / 3]);
  });

  it('stays finite for huge logits and uniform for tiny ones', () => {
    // exp(1e4) and exp(1e30) overflow without the max shift; after it the larger logit takes everything
    expectClose(softmax(rows([1e4, -1e4, 1e4 - Math.log(3)], 3)).data, [0.75, 0, 0.25]);
    expect(Array.from(softmax(rows([1e30, -1e30, 1e30], 3)).data)).toEqual([0.5, 0, 0.5]);
    expectClose(softmax(rows([1e-30, -1e-30, 0, 1e-38], 4)).data, [0.25, 0.25, 0.25, 0.25]);
  });

  it('handles a length-1 row and writes in place when output is the input', () => {
    expect(Array.from(softmax(rows([-123], 1)).data)).toEqual([1]);
    const logits = rows([0, Math.log(3)], 2);
    expect(softmax(logits, { output: logits.data }).data).toBe(logits.data);
    expectClose(logits.data, [0.25, 0.75]);
  });

  it('rejects empty input and a wrong output buffer, naming the argument', () => {
    expect(() => softmax(createTensor('float32', [2, 0]))).toThrow(
      'softmax(): logits must be a tensor with a non-empty last axis, got dims [2,0].',
    );
    expect(() => softmax(rows([1, 2], 2), { output: new Float32Array(3) })).toThrow(
      'softmax(): options.output must be a Float32Array of 2 elements, got Float32Array of length 3.',
    );
    expect(() => softmax(createTensor('int32', [2]) as never)).toThrow(AttnError);
  });
});
