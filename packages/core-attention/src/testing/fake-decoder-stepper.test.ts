import { describe, expect, it } from 'vitest';
import { fakeDecoderStepper } from './fake-decoder-stepper.js';

describe('fakeDecoderStepper', () => {
  it('keeps a prefix per row, reorders rows by beamRows, and derives logits from (source, prefix)', async () => {
    const stepper = fakeDecoderStepper({ vocabSize: 4, sources: [0, 1] });
    const first = await stepper.step([[0], [0]]);
    expect(first.logits.subarray(0, 4)).toEqual(stepper.logitsOf([0], 0));
    expect(first.logits.subarray(4)).toEqual(stepper.logitsOf([0], 1));
    expect(stepper.logitsOf([0], 0)).not.toEqual(stepper.logitsOf([0], 1));
    const second = await stepper.step([[2], [3]], [1, 1]);
    expect(stepper.prefixes).toEqual([
      [[0], [0]],
      [
        [0, 2],
        [0, 3],
      ],
    ]);
    expect(second.logits.subarray(4)).toEqual(stepper.logitsOf([0, 3], 1));
    expect(stepper.beamRowsSeen).toEqual([undefined, [1, 1]]);
  });

  it('throws on inconsistent calls', async () => {
    const stepper = fakeDecoderStepper({ vocabSize: 4 });
    await expect(stepper.step([[0], [0]])).rejects.toThrow('2 input rows for 1 cache rows');
    await expect(stepper.step([[0]], [1])).rejects.toThrow('beamRows names row 1 of 1');
  });
});
