// Loaded text models are shared per model, dtype, hub identity and taps: two revisions of one Hub id are two models.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { repositoryRoot, startHubServer } from '@attn/core-attention/testing';
import { answer, disposeTextModels } from './index.js';

afterAll(async () => {
  vi.unstubAllEnvs();
  await disposeTextModels();
});

describe('the loaded-model cache', () => {
  it('keeps two revisions of one Hub id apart', async () => {
    vi.stubEnv('HF_TOKEN', '');
    vi.stubEnv('HF_HUB_OFFLINE', '');
    const fixture = join(repositoryRoot(), 'packages/core-attention/test-fixtures/tiny-bert');
    const names = [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'onnx/model.onnx',
    ];
    const files = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, await readFile(join(fixture, name))])),
    );
    const gpt2 = { ...files, 'config.json': JSON.stringify({ model_type: 'gpt2' }) };
    const hub = await startHubServer({
      repos: { 'org/qa': { files, revisions: { v2: { files: gpt2 } } } },
    });
    const cacheDir = await mkdtemp(join(tmpdir(), 'attn-text-model-'));
    try {
      const pair = { question: 'Who runs?', context: 'A dog runs on the beach.' };
      const at = (revision: string) => ({
        model: 'org/qa',
        hub: { endpoint: hub.endpoint, cacheDir, revision },
      });
      expect(typeof (await answer(pair, at('main'))).score).toBe('number');
      // v2 names a model answer() cannot run: reusing main's loaded model would hide that
      await expect(answer(pair, at('v2'))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    } finally {
      await hub.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
