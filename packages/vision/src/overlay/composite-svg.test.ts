import { describe, expect, it } from 'vitest';
import { compositeSvg } from './composite-svg.js';

describe('compositeSvg', () => {
  it('paints the SVG over the image at one SVG unit per pixel, leaving uncovered pixels alone', async () => {
    const gray = { width: 4, height: 4, channels: 3, data: new Uint8Array(48).fill(128) } as const;
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">' +
      '<rect x="2" y="0" width="2" height="4" fill="#ff0000"/>' +
      '<rect x="0" y="3" width="2" height="1" fill="#0000ff" fill-opacity="0.5"/></svg>';
    const painted = await compositeSvg(gray, svg);
    expect([painted.width, painted.height, painted.data.length]).toEqual([4, 4, 48]);
    expect([...painted.data.subarray(0, 3)]).toEqual([128, 128, 128]);
    expect([...painted.data.subarray(6, 9)]).toEqual([255, 0, 0]);
    expect([...painted.data.subarray(45, 48)]).toEqual([255, 0, 0]);
    // Half-transparent blue over 128: 128 / 2 = 64 for red and green, (128 + 255) / 2 = 191.5 for blue.
    const blended = [...painted.data.subarray(36, 39)];
    [64, 64, 191.5].forEach((value, channel) =>
      expect(Math.abs(blended[channel]! - value)).toBeLessThanOrEqual(1),
    );
    expect(gray.data.every((value) => value === 128)).toBe(true); // the input is not modified
  });
});
