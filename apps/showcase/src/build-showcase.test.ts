import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildShowcase, showcaseSections } from './build-showcase.js';
import { translationSamples } from './sections/translation.js';

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
    for (const section of await showcaseSections()) {
      expect(html).toContain(`<section id="${section.id}">`);
      expect(html).toContain(`href="#${section.id}"`);
    }
  });

  it('shows the kernels: four matrices over the caption and a streaming check near float32 rounding', async () => {
    const kernels = (await showcaseSections()).find((section) => section.id === 'kernels');
    const html = kernels?.body.html ?? '';
    expect(html.match(/<svg /g)).toHaveLength(4);
    const difference = Number(/largest difference ([0-9.e+-]+)/.exec(html)?.[1]);
    expect(difference).toBeLessThan(1e-5);
  });

  it('translates each sample with attn/mt-en-de and shows its alignment matrix and aligned word pairs', async () => {
    const translation = (await showcaseSections()).find((section) => section.id === 'translation');
    const html = translation?.body.html ?? '';
    expect(html.match(/<svg /g)).toHaveLength(translationSamples.length);
    expect(html.match(/<table/g)).toHaveLength(translationSamples.length);
    // every sample's German translation is shown next to its source
    expect(html.match(/<strong>DE <\/strong>[^<]*\p{L}/gu)).toHaveLength(translationSamples.length);
  });
});
