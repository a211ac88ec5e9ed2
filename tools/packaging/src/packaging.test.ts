// SLOW (about a minute): the packaging test. The four packages users install, and @attn/models with the shipped
// model folders, are built, `pnpm pack`ed and installed into a fresh project outside the workspace; a TypeScript
// program compiled there against the installed declarations runs translate(), detect() and transcribe(), and its
// results must equal the workspace's own. detect() and transcribe() run the shipped attn/detr-shapes and
// attn/whisper-espeak once they are trained, until then the tiny fixtures copied into the project. The `attn` command
// is built too (apps/cli/dist, its package.json bin) and run with node, as a built install of the app runs.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transcribe } from '@attn/audio';
import { repositoryRoot } from '@attn/core-attention/testing';
import { translate } from '@attn/nlp';
import { detect } from '@attn/vision';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerInputs, ConsumerResults } from '../consumer/use-attn.js';
import {
  buildPackages,
  command,
  compileConsumer,
  installConsumer,
  packPackages,
  publishedPackages,
  type PublishedPackage,
} from './consumer-project.js';

const root = repositoryRoot();
let project = '';
let tarballs: Record<PublishedPackage, string>;
let inputs: ConsumerInputs;
let results: ConsumerResults;

/** The shipped model's folder name when it is trained, else the fixture's path copied into the project. */
async function modelFor(shipped: string, fixture: string): Promise<string | undefined> {
  if (existsSync(join(root, 'models', shipped, 'config.json'))) return undefined;
  const copy = join(project, 'fixtures', fixture);
  await cp(join(root, 'packages/core-attention/test-fixtures', fixture), copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'attn-packaging-'));
  if (!relative(root, project).startsWith('..'))
    throw new Error(`the consumer project ${project} must lie outside the workspace ${root}`);
  await buildPackages(root);
  await command('pnpm', ['run', 'build'], join(root, 'apps/cli')); // after the packages it imports
  await mkdir(join(project, 'tarballs'));
  tarballs = await packPackages(root, join(project, 'tarballs'));
  await installConsumer(project, tarballs, root);
  const samples = join(root, 'apps/showcase/samples');
  const detectionModel = await modelFor('detr-shapes', 'tiny-detr');
  const speechModel = await modelFor('whisper-espeak', 'tiny-whisper');
  inputs = {
    sentence: 'A dog runs on the beach.',
    scene: join(samples, 'scene.png'),
    speech: join(samples, 'speech.wav'),
    ...(detectionModel === undefined ? {} : { detectionModel }),
    ...(speechModel === undefined ? {} : { speechModel }),
  };
  const program = await compileConsumer(
    project,
    join(root, 'tools/packaging/consumer/use-attn.ts'),
  );
  results = JSON.parse(
    await command(process.execPath, [program, JSON.stringify(inputs)], project),
  ) as ConsumerResults;
});
afterAll(() => (project === '' ? undefined : rm(project, { recursive: true, force: true })));

describe('the packages, packed and installed outside the workspace', () => {
  it('publish dist with its declarations and a README, every export target present, and versions instead of workspace: ranges', async () => {
    for (const { name, built } of publishedPackages) {
      const files = (await command('tar', ['-tzf', tarballs[name]], project)).trim().split('\n');
      const manifest = JSON.parse(
        await command('tar', ['-xzOf', tarballs[name], 'package/package.json'], project),
      ) as {
        main?: string;
        types?: string;
        exports: Record<string, string | { types: string; default: string }>;
        dependencies?: Record<string, string>;
      };
      const targets = [
        manifest.main,
        manifest.types,
        ...Object.values(manifest.exports).flatMap((target) =>
          typeof target === 'string' ? [target] : [target.types, target.default],
        ),
      ].flatMap((target) =>
        target === undefined ? [] : [`package/${target.replace(/^\.\//, '')}`],
      );
      expect({ name, missing: targets.filter((target) => !files.includes(target)) }).toEqual({
        name,
        missing: [],
      });
      expect(files.filter((file) => /^package\/src\/|\.test\.(js|ts)$/.test(file))).toEqual([]);
      if (built)
        expect({ name, readme: files.includes('package/README.md') }).toEqual({
          name,
          readme: true,
        });
      expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:');
    }
  });

  it('are what the program loads: the installed copies, not the workspace sources', () => {
    for (const url of Object.values(results.resolved))
      expect(url.startsWith(pathToFileURL(project).href)).toBe(true);
  });

  it('translate() with the shipped attn/mt-en-de gives the workspace’s translation and alignment', async () => {
    const expected = await translate(inputs.sentence);
    expect(results.translation.text).toBe(expected.text);
    expect(results.translation.text).toMatch(/\p{L}/u);
    expect(results.translation.alignment).toEqual(expected.alignment);
    expect(results.translation.alignment.length).toBeGreaterThan(0);
  });

  it('a bad call is caught with the AttnError each domain package exports: one class, its code', () => {
    expect(results.emptyText).toEqual({ code: 'INVALID_ARGUMENT', oneClass: true });
  });

  it('the built `attn` command (apps/cli/dist/main.js) translates as the workspace does', async () => {
    const bin = join(
      root,
      'apps/cli',
      JSON.parse(await readFile(join(root, 'apps/cli/package.json'), 'utf8')).bin.attn,
    );
    expect(await command(process.execPath, [bin, '--version'], project)).toMatch(
      /^attn \d+\.\d+\.\d+\n$/,
    );
    const output = JSON.parse(
      await command(process.execPath, [bin, 'translate', inputs.sentence, '--json'], project),
    ) as { results: { translation: string; alignment: unknown[] }[] };
    const expected = await translate(inputs.sentence);
    expect(output.results[0]!.translation).toBe(expected.text);
    expect(output.results[0]!.alignment.length).toBe(expected.alignment.length);
  });

  it('detect() gives the workspace’s objects, boxes and scores', async () => {
    const expected = await detect(inputs.scene, {
      threshold: 0,
      ...(inputs.detectionModel === undefined ? {} : { model: inputs.detectionModel }),
    });
    expect(results.detection.length).toBeGreaterThan(0);
    expect(results.detection).toEqual(
      expected.objects.map(({ label, score, box }) => ({ label, score, box })),
    );
  });

  it('transcribe() gives the workspace’s transcript and word times', async () => {
    const expected = await transcribe(inputs.speech, {
      ...(inputs.speechModel === undefined ? {} : { model: inputs.speechModel }),
    });
    expect(results.transcription).toEqual({
      text: expected.text,
      words: expected.words.map(({ word, start, end }) => ({ word, start, end })),
    });
    const duration = JSON.parse(
      await readFile(join(root, 'apps/showcase/samples/speech.json'), 'utf8'),
    ) as { durationSeconds: number };
    for (const word of results.transcription.words)
      expect(word.end).toBeLessThanOrEqual(duration.durationSeconds + 0.02);
  });
});
