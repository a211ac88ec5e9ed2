import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import {
  colormap,
  colormapLookupTable,
  colormapNames,
  nanColor,
  rgbToHex,
  type ColormapName,
  type Rgb,
} from './colormaps.js';

const fromHex = (hex: string): Rgb =>
  [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16)) as Rgb;

function expectColorNear(actual: Rgb, hex: string, tolerance = 2): void {
  const expected = fromHex(hex);
  for (let channel = 0; channel < 3; channel++) {
    expect(
      Math.abs(actual[channel]! - expected[channel]!),
      `${rgbToHex(actual)} vs ${hex}`,
    ).toBeLessThanOrEqual(tolerance);
  }
}

// WCAG relative luminance of an sRGB colour.
function luminance([red, green, blue]: Rgb): number {
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
}

describe('colormap', () => {
  it('matches the published endpoint and midpoint colours within 2 units', () => {
    // matplotlib's documented colours: viridis #440154 / #21918c / #fde725, magma #000004 / #fcfdbf,
    // Moreland's cool-warm RGB (59, 76, 192), (221, 221, 221), (180, 4, 38).
    expectColorNear(colormap('viridis')(0), '#440154');
    expectColorNear(colormap('viridis')(0.5), '#21918c');
    expectColorNear(colormap('viridis')(1), '#fde725');
    expectColorNear(colormap('magma')(0), '#000004');
    expectColorNear(colormap('magma')(1), '#fcfdbf');
    expectColorNear(colormap('coolwarm')(0), '#3b4cc0');
    expectColorNear(colormap('coolwarm')(0.5), '#dddddd');
    expectColorNear(colormap('coolwarm')(1), '#b40426');
    expect(colormap('gray')(0.5)).toEqual([128, 128, 128]);
  });

  it('matches published interior viridis and magma entries within 2 units', () => {
    // Entries k of matplotlib's 256-colour tables (_cm_listed.py), at t = k / 255, none of them a stop:
    // viridis 64 = (0.229739, 0.322361, 0.545706), viridis 192 = (0.369214, 0.788888, 0.382914),
    // magma 100 = (0.537755, 0.156894, 0.506551); times 255, rounded.
    expectColorNear(colormap('viridis')(64 / 255), '#3b528b');
    expectColorNear(colormap('viridis')(192 / 255), '#5ec962');
    expectColorNear(colormap('magma')(100 / 255), '#892881');
  });

  it('rises in luminance from dark to light for viridis and magma', () => {
    for (const name of ['viridis', 'magma'] as const) {
      const colorOf = colormap(name);
      let previous = -1;
      for (let k = 0; k <= 64; k++) {
        const current = luminance(colorOf(k / 64));
        expect(current, `${name} at ${k}/64`).toBeGreaterThan(previous);
        previous = current;
      }
    }
  });

  it('clamps t outside [0, 1] and maps NaN to the documented grey', () => {
    const colorOf = colormap('magma');
    expect(colorOf(-3)).toEqual(colorOf(0));
    expect(colorOf(Infinity)).toEqual(colorOf(1));
    expect(colorOf(Number.NaN)).toEqual([...nanColor]);
  });

  it('interpolates linearly between neighbouring stops', () => {
    // t = 1/64 lies halfway between the stops at 0 (#440154) and 1/32 (#470d60): (68+71)/2, (1+13)/2, (84+96)/2.
    expect(colormap('viridis')(1 / 64)).toEqual([70, 7, 90]);
  });

  it('builds a 256-entry lookup table that agrees with the function', () => {
    for (const name of colormapNames) {
      const table = colormapLookupTable(name);
      const colorOf = colormap(name);
      expect(table).toHaveLength(768);
      for (const k of [0, 1, 77, 128, 254, 255])
        expect([...table.subarray(k * 3, k * 3 + 3)]).toEqual(colorOf(k / 255));
      expect(colormapLookupTable(name)).toBe(table);
    }
  });

  it('rejects unknown names with INVALID_ARGUMENT', () => {
    expect(() => colormap('jet' as ColormapName)).toThrow(
      "colormap(): name must be one of viridis, magma, coolwarm, gray, got 'jet'.",
    );
    expect(() => colormapLookupTable('toString' as ColormapName)).toThrow(AttnError);
  });

  it('formats colours as hex, rounding and clamping channels', () => {
    expect(rgbToHex([68, 1, 84])).toBe('#440154');
    expect(rgbToHex([300, -4, 84.4])).toBe('#ff0054');
  });
});
