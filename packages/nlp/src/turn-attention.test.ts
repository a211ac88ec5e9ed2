import { describe, expect, it } from 'vitest';
import { createAttentionMaps } from '@attn/core-attention';
import { seededRandom } from '@attn/core-attention/testing';
import { turnAttention } from './turn-attention.js';

describe('turnAttention', () => {
  it('sums the reply rows per turn and normalises (hand-worked)', () => {
    // keys: turn 0, turn 0, turn 1, reply token; rows 2 and 3 produce reply tokens; two heads
    const head0 = [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.25, 0.25, 0.5, 0, 0.1, 0.1, 0.4, 0.4];
    const head1 = [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.75, 0.05, 0.2, 0, 0.3, 0.1, 0.2, 0.4];
    const maps = createAttentionMaps({
      kind: 'self',
      layers: [0],
      heads: [0, 1],
      queryLabels: ['a', 'b', 'c', 'd'],
      keyLabels: ['a', 'b', 'c', 'd'],
      data: new Float32Array([...head0, ...head1]),
    });
    // heads averaged: row 2 = [0.5, 0.15, 0.35, 0], row 3 = [0.2, 0.1, 0.3, 0.4]
    // turn 0: 0.65 + 0.3 = 0.95; turn 1: 0.35 + 0.3 = 0.65; the reply key is left out → ÷ 1.6
    const weights = turnAttention(maps, [0, 0, 1, null], 2, 2);
    expect(weights[0]).toBeCloseTo(0.95 / 1.6, 6);
    expect(weights[1]).toBeCloseTo(0.65 / 1.6, 6);
  });

  it('sums to 1 on random maps and gives turns without keys 0', () => {
    const random = seededRandom(3);
    const size = 6;
    const data = new Float32Array(2 * 3 * size * size).map(() => random());
    const maps = createAttentionMaps({
      kind: 'self',
      layers: [0, 1],
      heads: [0, 1, 2],
      queryLabels: new Array(size).fill('t'),
      keyLabels: new Array(size).fill('t'),
      data,
    });
    const weights = turnAttention(maps, [1, 1, 3, 3, null, null], 3, 4);
    expect(weights[0]).toBe(0);
    expect(weights[2]).toBe(0);
    expect(weights.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
  });
});
