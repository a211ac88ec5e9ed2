// `attn segment` as a child process on the tiny-vit fixture (random weights): an image from stdin, the mask against
// the kept-patch count, and the HTML page with the overlay inlined.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInputs, fixtureModel, type CliInputs } from '../testing/cli-inputs.js';
import { runAttn, successJson } from '../testing/run-attn.js';

let inputs: CliInputs;
beforeAll(async () => {
  inputs = await cliInputs();
});
afterAll(() => inputs.remove());

describe.concurrent('attn segment', () => {
  it('segment reads an image from stdin: the mask is the kept patches, and --out .html inlines the overlay', async () => {
    const out = join(inputs.folder, 'segment.html');
    const run = await runAttn(
      ['segment', '-', '--model', fixtureModel('tiny-vit'), '--json', '--out', out],
      {
        input: await readFile(inputs.scene),
      },
    );
    const [result] = successJson<{
      results: {
        input: string;
        grid: { rows: number; cols: number };
        keptPatches: number;
        mask: number[];
        combinedMap: number[];
      }[];
    }>(run).results;
    expect(result!.input).toBe('(stdin)');
    expect(result!.grid).toEqual({ rows: 4, cols: 4 }); // tiny-vit: 32 x 32 input, 8-pixel patches
    expect(result!.mask).toHaveLength(16);
    expect(result!.combinedMap).toHaveLength(16);
    expect(result!.keptPatches).toBe(result!.mask.filter((value) => value === 1).length);
    const html = await readFile(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<img src="data:image/png;base64,iVBORw0KGgo');
  });
});
