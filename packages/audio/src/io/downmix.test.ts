import { describe, expect, it } from 'vitest';
import { downmix } from '../index.js';

describe('downmix', () => {
  it('averages the channels sample by sample', () => {
    // (1 + 0 + 0.5) / 3 = 0.5, (−1 + 1 + 0.25) / 3 = 1/12
    const mono = downmix([
      new Float32Array([1, -1]),
      new Float32Array([0, 1]),
      new Float32Array([0.5, 0.25]),
    ]);
    expect(mono[0]).toBe(0.5);
    expect(mono[1]).toBeCloseTo(1 / 12, 7);
  });

  it('copies a single channel', () => {
    const channel = new Float32Array([0.25, -0.5]);
    const mono = downmix([channel]);
    expect([...mono]).toEqual([0.25, -0.5]);
    expect(mono).not.toBe(channel);
  });

  it('rejects no channels, and channels of different lengths or types', () => {
    expect(() => downmix([])).toThrow(
      'downmix(): channels must be a non-empty array of Float32Array, got [].',
    );
    expect(() => downmix([new Float32Array(3), new Float32Array(2)])).toThrow(
      'downmix(): channels[1] must be a Float32Array of length 3 like channels[0], got Float32Array of length 2.',
    );
    expect(() =>
      downmix([new Float32Array(2), new Float64Array(2) as unknown as Float32Array]),
    ).toThrow(/channels\[1\] must be a Float32Array/);
  });
});
