import { describe, expect, it } from 'vitest';
import { createProgressBar, formatBytes, progressLine } from './progress-bar.js';

describe('progress bar', () => {
  it('draws the file, a 20-cell bar, the percentage and the sizes', () => {
    // 1.0 MB of 2.0 MB: 50 % = 10 of 20 cells
    expect(progressLine({ file: 'model.onnx', loaded: 1_000_000, total: 2_000_000 }, 80)).toBe(
      'model.onnx [##########----------]  50%  1.0 MB / 2.0 MB',
    );
    expect(progressLine({ file: 'model.onnx', loaded: 1_500, total: undefined }, 80)).toBe(
      'model.onnx 1.5 kB',
    );
  });

  it('shortens a long file name from the left to fit the width', () => {
    const line = progressLine({ file: `onnx/${'x'.repeat(100)}.onnx`, loaded: 0, total: 10 }, 60);
    expect(line).toHaveLength(60);
    expect(line.startsWith('…')).toBe(true);
    expect(line).toContain('x.onnx [');
  });

  it('formats bytes in decimal units', () => {
    expect([0, 999, 1_000, 12_345_678, 1_200_000_000].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.0 kB',
      '12.3 MB',
      '1.2 GB',
    ]);
  });

  it('redraws in place at most every 100 ms and ends the line when complete', () => {
    const writes: string[] = [];
    let clock = 0;
    const onProgress = createProgressBar(
      { columns: 50, write: (text) => writes.push(text) },
      () => clock,
    );
    onProgress({ file: 'f', loaded: 1, total: 4 });
    clock = 50;
    onProgress({ file: 'f', loaded: 2, total: 4 }); // skipped: too soon
    clock = 150;
    onProgress({ file: 'f', loaded: 3, total: 4 });
    clock = 160;
    onProgress({ file: 'f', loaded: 4, total: 4 }); // drawn: complete
    expect(writes).toHaveLength(3);
    expect(writes.every((text) => text.startsWith('\r') && text.trimEnd().length <= 50)).toBe(true);
    expect(writes[0]).toContain(' 25%');
    expect(writes[2]).toMatch(/100% {2}4 B \/ 4 B *\n$/);
  });
});
