import { describe, expect, it } from 'vitest';
import { colorBarSvg, niceTicks } from './color-bar-svg.js';
import { colormap, rgbToHex } from './colormaps.js';

describe('niceTicks', () => {
  it('picks steps of 1, 2 or 5 times a power of ten inside the range', () => {
    const cases: [number, number, number[], number][] = [
      [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1], 1], // rough step 0.2
      [0, 0.37, [0, 0.1, 0.2, 0.3], 1], // rough 0.074 -> 0.1
      [-3, 7, [-2, 0, 2, 4, 6], 0], // rough 2
      [0.0012, 0.0031, [0.0015, 0.002, 0.0025, 0.003], 4], // rough 0.00038 -> 0.0005
      [3, 3, [3], 0],
    ];
    for (const [low, high, expected, decimals] of cases) {
      const result = niceTicks(low, high);
      expect(result.ticks).toHaveLength(expected.length);
      result.ticks.forEach((tick, index) => expect(tick).toBeCloseTo(expected[index]!, 12));
      expect(result.decimals).toBe(decimals);
    }
  });
});

describe('colorBarSvg', () => {
  it('stacks 64 bands from the low colour at the bottom to the high colour at the top', () => {
    const svg = colorBarSvg({
      x: 10,
      y: 20,
      height: 64,
      domain: [0, 1],
      colormap: 'magma',
      fontSize: 12,
    });
    const fills = [
      ...svg.matchAll(
        /class="color-bar-band" x="10" y="([\d.]+)" width="12" height="1" fill="(#[0-9a-f]{6})"/g,
      ),
    ];
    expect(fills).toHaveLength(64);
    expect(fills[0]!.slice(1)).toEqual(['83', rgbToHex(colormap('magma')(0.5 / 64))]);
    expect(fills[63]!.slice(1)).toEqual(['20', rgbToHex(colormap('magma')(63.5 / 64))]);
    // Tick 0.4 sits 40% up from the bottom edge at y = 84: 84 - 25.6 = 58.4.
    expect(svg).toContain('y="58.4" dominant-baseline="middle" font-size="12">0.4</text>');
  });
});
