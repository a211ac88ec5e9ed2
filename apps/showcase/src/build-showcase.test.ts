import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildShowcase, showcaseSections } from './build-showcase.js';

let folder: string | undefined;
afterEach(async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

describe('showcase', () => {
  it('writes a report with a table of contents entry and a section for every task', async () => {
    folder = await mkdtemp(join(tmpdir(), 'attn-showcase-'));
    const path = await buildShowcase(folder);
    const html = await readFile(path, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const section of showcaseSections()) {
      expect(html).toContain(`<section id="${section.id}">`);
      expect(html).toContain(`href="#${section.id}"`);
    }
  });

  it('shows the kernels: four matrices over the caption and a streaming check near float32 rounding', () => {
    const [kernels] = showcaseSections();
    const html = kernels?.body.html ?? '';
    expect(html.match(/<svg /g)).toHaveLength(4);
    const difference = Number(/largest difference ([0-9.e+-]+)/.exec(html)?.[1]);
    expect(difference).toBeLessThan(1e-5);
  });
});
