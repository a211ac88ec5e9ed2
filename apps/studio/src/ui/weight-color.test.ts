import { describe, expect, it } from 'vitest';
import { weightBackground } from './weight-color.js';

describe('weightBackground', () => {
  it('shades by the share of the largest weight, clamped', () => {
    expect(weightBackground(0.25, 0.5)).toBe('rgba(255, 140, 0, 0.5)');
    expect(weightBackground(0.5, 0.5)).toBe('rgba(255, 140, 0, 1)');
    expect(weightBackground(2, 0.5)).toBe('rgba(255, 140, 0, 1)');
    expect(weightBackground(1 / 3, 1)).toBe('rgba(255, 140, 0, 0.333)');
  });

  it('is transparent for nothing to compare with, or NaN', () => {
    expect(weightBackground(0, 0)).toBe('rgba(255, 140, 0, 0)');
    expect(weightBackground(Number.NaN, 1)).toBe('rgba(255, 140, 0, 0)');
  });
});
