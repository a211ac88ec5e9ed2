import { describe, expect, it } from 'vitest';
import { weightBar } from './weight-bar.js';

describe('weightBar', () => {
  it('draws round(share × width) marks and the rounded percentage', () => {
    expect(weightBar(0.5)).toBe('#####-----  50%');
    // 0.068 × 10 = 0.68 → 1 mark; 6.8% → 7%
    expect(weightBar(0.068)).toBe('#---------   7%');
    expect(weightBar(1, 4)).toBe('#### 100%');
  });

  it('clamps shares outside [0, 1] and treats NaN as 0', () => {
    expect(weightBar(-0.2, 4)).toBe('----   0%');
    expect(weightBar(1.7, 4)).toBe('#### 100%');
    expect(weightBar(Number.NaN, 4)).toBe('----   0%');
  });
});
