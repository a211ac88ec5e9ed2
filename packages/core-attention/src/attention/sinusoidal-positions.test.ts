import { describe, expect, it } from 'vitest';
import { expectClose, randomInt, seededRandom } from '../testing/index.js';
import { sinusoidalPositions } from './sinusoidal-positions.js';

describe('sinusoidalPositions', () => {
  it('follows PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(...) at random entries', () => {
    const random = seededRandom(61);
    const table = sinusoidalPositions(50, 16);
    expect(table.dims).toEqual([50, 16]);
    for (let trial = 0; trial < 40; trial++) {
      const [p, i] = [randomInt(random, 0, 50), randomInt(random, 0, 8)];
      const angle = p / 10000 ** ((2 * i) / 16);
      expectClose(
        [table.data[p * 16 + 2 * i] as number, table.data[p * 16 + 2 * i + 1] as number],
        [Math.sin(angle), Math.cos(angle)],
      );
    }
  });

  it('works through position 1 of a 4-wide table by hand', () => {
    // ω = [1, 10000^(-1/2)] = [1, 0.01]
    expectClose(sinusoidalPositions(2, 4).data, [
      0,
      1,
      0,
      1,
      Math.sin(1),
      Math.cos(1),
      Math.sin(0.01),
      Math.cos(0.01),
    ]);
  });

  it('makes PE(p) · PE(q) depend only on p - q (Σ cos((p - q) ω_i))', () => {
    const table = sinusoidalPositions(40, 8);
    const dot = (p: number, q: number) =>
      Array.from(
        { length: 8 },
        (_, j) => (table.data[p * 8 + j] as number) * (table.data[q * 8 + j] as number),
      ).reduce((a, b) => a + b);
    expectClose([dot(3, 7), dot(20, 24), dot(35, 39)], [dot(0, 4), dot(0, 4), dot(0, 4)], {
      atol: 1e-5,
    });
  });

  it('lays sines then cosines out for the concatenated layout, and starts at an offset', () => {
    const interleaved = sinusoidalPositions(6, 6);
    const concatenated = sinusoidalPositions(6, 6, { layout: 'concatenated' });
    for (let p = 0; p < 6; p++) {
      for (let i = 0; i < 3; i++) {
        expect(concatenated.data[p * 6 + i]).toBe(interleaved.data[p * 6 + 2 * i]);
        expect(concatenated.data[p * 6 + 3 + i]).toBe(interleaved.data[p * 6 + 2 * i + 1]);
      }
    }
    expect(Array.from(sinusoidalPositions(2, 6, { offset: 4 }).data)).toEqual(
      Array.from(interleaved.data.subarray(24)),
    );
  });

  it('rejects odd widths and bad options', () => {
    expect(() => sinusoidalPositions(4, 5)).toThrow(
      'sinusoidalPositions(): dim must be an even integer, got 5.',
    );
    expect(() => sinusoidalPositions(0, 4)).toThrow(
      'sinusoidalPositions(): length must be a positive integer, got 0.',
    );
    expect(() => sinusoidalPositions(4, 4, { base: 1 })).toThrow(
      /options.base must be a finite number > 1/,
    );
    expect(() => sinusoidalPositions(4, 4, { layout: 'split' as never })).toThrow(
      /options.layout must be 'interleaved' or 'concatenated'/,
    );
  });
});
