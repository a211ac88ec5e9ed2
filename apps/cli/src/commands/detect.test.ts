// `attn detect` as a child process on the tiny-detr fixture (random weights): objects, peaks and the overlay PNG,
// and a file that is not an image.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliInputs,
  fixtureModel,
  pngSignature,
  pngSize,
  type CliInputs,
} from '../testing/cli-inputs.js';
import { runAttn } from '../testing/run-attn.js';

let inputs: CliInputs;
beforeAll(async () => {
  inputs = await cliInputs();
});
afterAll(() => inputs.remove());

describe.concurrent('attn detect', () => {
  it('detect --json --out: objects inside the image, peaks inside it, and the overlay PNG at its size', async () => {
    const out = join(inputs.folder, 'detect', 'scene.png');
    const run = await runAttn([
      'detect',
      inputs.scene,
      '--model',
      fixtureModel('tiny-detr'),
      '--threshold',
      '0',
      '--top-k',
      '2',
      '--json',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as {
      files: string[];
      results: {
        width: number;
        height: number;
        grid: { rows: number; cols: number };
        objects: { box: Record<string, number>; peak: { x: number; y: number } }[];
      }[];
    };
    const [detection] = report.results;
    expect([detection!.width, detection!.height]).toEqual([80, 64]);
    expect(detection!.objects).toHaveLength(2);
    for (const { box, peak } of detection!.objects) {
      expect(box.x0).toBeGreaterThanOrEqual(0);
      expect(box.x1).toBeLessThanOrEqual(80);
      expect(box.y1).toBeLessThanOrEqual(64);
      expect(peak.x).toBeGreaterThan(0);
      expect(peak.x).toBeLessThan(80);
      expect(peak.y).toBeLessThan(64);
    }
    expect(report.files).toEqual([out]);
    const png = await readFile(out);
    expect(png.subarray(0, 8).toString('hex')).toBe(pngSignature);
    expect(pngSize(png)).toEqual({ width: 80, height: 64 });
    expect(await readdir(join(inputs.folder, 'detect'))).toEqual(['scene.png']);
  });

  it('detect on a file that is not an image exits 3 and names it', async () => {
    const notes = inputs.notes;
    const { code, stderr } = await runAttn(['detect', notes, '--model', fixtureModel('tiny-detr')]);
    expect(code).toBe(3);
    expect(stderr).toContain(notes);
    expect(stderr).toContain('(INPUT_FORMAT, exit code 3)');
  });
});
