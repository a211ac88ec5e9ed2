// `attn models` as a child process: the shipped models with their commands, size and card, and a hub cache.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repositoryRoot } from '@attn/core-attention/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInputs, type CliInputs } from '../testing/cli-inputs.js';
import { runAttn, successJson } from '../testing/run-attn.js';
import { commands } from './index.js';

let inputs: CliInputs;
beforeAll(async () => {
  inputs = await cliInputs();
});
afterAll(() => inputs.remove());

describe.concurrent('attn models', () => {
  it('attn models lists the shipped models with their commands, size and card, and the hub cache', async () => {
    const repository = join(inputs.env.HF_HOME!, 'hub', 'models--someone--tiny');
    await mkdir(join(repository, 'blobs'), { recursive: true });
    await mkdir(join(repository, 'snapshots', 'a'.repeat(40)), { recursive: true });
    await writeFile(join(repository, 'blobs', 'etag'), '12345');
    const [report, text] = await Promise.all([
      runAttn(['models', '--json'], { env: inputs.env }),
      runAttn(['models'], { env: inputs.env }),
    ]);
    const models = successJson<{
      shipped: {
        id: string;
        installed: boolean;
        commands: string[];
        modelType: string;
        sizeBytes: number;
        headline: string;
      }[];
      hubCache: { dir: string; models: unknown[] };
    }>(report);
    const card = await readFile(join(repositoryRoot(), 'models/mt-en-de/MODEL_CARD.md'), 'utf8');
    expect(models.shipped.find((model) => model.id === 'attn/mt-en-de')).toMatchObject({
      installed: true,
      commands: ['translate'],
      modelType: 'marian',
      headline: card.split('\n')[0]!.replace(/^#\s+/, ''),
    });
    expect(models.shipped.find((model) => model.id === 'attn/mt-en-de')!.sizeBytes).toBeGreaterThan(
      1e6,
    );
    // every command's default is listed, installed or not
    for (const command of commands.filter((entry) => entry.name !== 'models'))
      expect(models.shipped.some((model) => model.commands.includes(command.name))).toBe(true);
    expect(models.hubCache).toEqual({
      dir: join(inputs.env.HF_HOME!, 'hub'),
      models: [{ id: 'someone/tiny', sizeBytes: 5, revisions: 1 }],
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^ {2}attn\/mt-en-de +translate +marian +\d+\.\d MB {2}attn\/mt-en-de — /m,
    );
    expect(text.stdout).toMatch(/^ {2}someone\/tiny +5 B {2}1 revision$/m);
  });
});
