// The report as `pnpm showcase` writes it, with the shipped models (slow: the trained models run for real, about
// 5–20 s depending on how many are shipped), and with the tiny fixtures in place of every model.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '@attn/core-attention/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildShowcase, type ShowcaseRun } from './build-showcase.js';
import { showcaseSamples } from './samples.js';
import { shippedModels } from './showcase-models.js';
import { fixtureModels } from './testing/fixture-models.js';

const taskIds = {
  translation: 'translation',
  summarization: 'summarization',
  questionAnswering: 'question-answering',
  chat: 'chat',
  detection: 'detection',
  segmentation: 'segmentation',
  transcription: 'transcription',
} as const;

const folders: string[] = [];
async function build(models = {}): Promise<{ run: ShowcaseRun; html: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'attn-showcase-'));
  folders.push(folder);
  const run = await buildShowcase(folder, { models });
  return { run, html: await readFile(run.path, 'utf8') };
}

let shipped: { run: ShowcaseRun; html: string };
beforeAll(async () => {
  shipped = await build();
}, 300_000);
afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

const section = (id: string): string =>
  shipped.run.sections.find((candidate) => candidate.id === id)?.body.html ?? '';

describe('showcase report', () => {
  it('has the seven tasks and the kernels, in order, each in the table of contents', () => {
    const ids = [...Object.values(taskIds), 'kernels'];
    expect(shipped.run.sections.map((candidate) => candidate.id)).toEqual(ids);
    expect(shipped.html.startsWith('<!doctype html>')).toBe(true);
    for (const id of ids) {
      expect(shipped.html).toContain(`<section id="${id}">`);
      expect(shipped.html).toContain(`href="#${id}"`);
    }
  });

  it('runs each task whose shipped model is in models/ and names the train command of each that is not', () => {
    for (const [task, id] of Object.entries(taskIds)) {
      const model = shippedModels[task as keyof typeof taskIds];
      const name = model.slice('attn/'.length);
      const trained = existsSync(join(repositoryRoot(), 'models', name, 'config.json'));
      const body = section(id);
      const skipped = shipped.run.skipped.find((candidate) => candidate.id === id);
      expect({ id, skipped: skipped !== undefined }).toEqual({ id, skipped: !trained });
      expect(body.includes('is not shipped yet')).toBe(!trained);
      if (trained) expect(body).toContain(`<p class="note">model ${model}</p>`);
      else
        expect(skipped?.skipped).toEqual({
          model,
          command: `/usr/bin/python3 tools/model-zoo/train.py ${name}`,
        });
    }
    const note = /<p class="skipped"><strong>(\d+) of 8 sections did not run<\/strong>/.exec(
      shipped.html,
    );
    expect(Number(note?.[1] ?? 0)).toBe(shipped.run.skipped.length);
  });

  it('is one self-contained file: every image and the recording are data URIs, nothing is fetched', () => {
    const sources = [...shipped.html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map(
      (match) => match[1] as string,
    );
    for (const source of sources) expect(source).toMatch(/^(#|data:image\/png;|data:audio\/wav;)/);
    expect(shipped.html).not.toMatch(/<(link|script)\b/);
  });

  it('translates each sample with attn/mt-en-de and shows its alignment matrix and aligned word pairs', () => {
    const html = section('translation');
    const sentences = showcaseSamples().translation;
    expect(html.match(/<svg /g)).toHaveLength(sentences.length);
    expect(html.match(/<table/g)).toHaveLength(sentences.length);
    // every sample's German translation is shown next to its source
    expect(html.match(/<strong>DE <\/strong>[^<]*\p{L}/gu)).toHaveLength(sentences.length);
  });

  it('shows the kernels: four matrices over the caption and a streaming check near float32 rounding', () => {
    const html = section('kernels');
    expect(html.match(/<svg /g)).toHaveLength(4);
    const difference = Number(/largest difference ([0-9.e+-]+)/.exec(html)?.[1]);
    expect(difference).toBeLessThan(1e-5);
  });

  it('runs every section on the models it is given (the tiny fixtures), skipping none', async () => {
    const { run } = await build(fixtureModels);
    expect(run.skipped).toEqual([]);
    for (const [task, id] of Object.entries(taskIds)) {
      const model = fixtureModels[task as keyof typeof taskIds];
      const body = run.sections.find((candidate) => candidate.id === id)?.body.html ?? '';
      expect(body.startsWith(`<div><p class="note">model ${model}</p>`)).toBe(true);
    }
  });
});
