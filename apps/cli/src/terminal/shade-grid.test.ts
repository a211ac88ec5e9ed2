import { describe, expect, it } from 'vitest';
import { shadeGrid } from './shade-grid.js';

describe('shadeGrid', () => {
  it('stretches the map to [min, max] and draws each cell with two characters of its quarter', () => {
    // low 1, high 5: t = 0, 0.5, 0.75, 1 → blank, ▒ (second quarter), ▓, █
    expect(shadeGrid(new Float32Array([1, 3, 4, 5]), 2, 2)).toEqual(['  ▒▒', '▓▓██']);
    // t = 0.1 rounds up into the first quarter: any value above the minimum shows
    expect(shadeGrid(new Float32Array([0, 0.1, 1]), 1, 3)).toEqual(['  ░░██']);
  });

  it('draws masks as full and blank cells, and constant maps as full (non-zero) or blank (zero)', () => {
    expect(shadeGrid(new Uint8Array([1, 0, 0, 1]), 2, 2)).toEqual(['██  ', '  ██']);
    expect(shadeGrid(new Uint8Array([1, 1]), 1, 2)).toEqual(['████']);
    expect(shadeGrid(new Float32Array(3), 1, 3)).toEqual(['      ']);
  });
});
