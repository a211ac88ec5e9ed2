import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  attentionGraph,
  attentionGraphInputs,
  startHubServer,
  withExternalData,
} from '../../testing/index.js';
import { hubFile } from '../hub/index.js';
import { SessionCache } from '../session/index.js';
import { modelArchitecture, onnxFileName, openModelFolder, parseOnnxFileName } from './index.js';

let root: string;

/** Writes `files` (path -> content) under a new folder of `root` and returns the folder. */
async function folderWith(
  name: string,
  files: Record<string, string | Uint8Array>,
): Promise<string> {
  const folder = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(folder, path, '..'), { recursive: true });
    await writeFile(join(folder, path), content);
  }
  return folder;
}

const marian = JSON.stringify({ model_type: 'marian', decoder_layers: 2 });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'attn-folder-'));
  await folderWith('models/mt-en-de', {
    'config.json': marian,
    'generation_config.json': JSON.stringify({ decoder_start_token_id: 3 }),
    'onnx/encoder_model.onnx': 'x',
    'onnx/decoder_model_merged.onnx': 'x',
    'onnx/decoder_model_merged_quantized.onnx': 'x',
  });
  await folderWith('models/qa', {
    'config.json': JSON.stringify({ model_type: 'bert' }),
    'onnx/model_fp16.onnx': 'x',
  });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('openModelFolder: sources', () => {
  it('opens a local folder: config, generation config, architecture, file paths', async () => {
    const folder = await openModelFolder(join(root, 'models/mt-en-de'));
    expect(folder.config.model_type).toBe('marian');
    expect(folder.generationConfig).toEqual({ decoder_start_token_id: 3 });
    expect(folder.architecture).toEqual({
      family: 'encoder-decoder',
      sessions: ['encoder_model', 'decoder_model_merged'],
      alternativeSessions: ['decoder_model', 'decoder_with_past_model'],
    });
    expect(await folder.onnxPath('encoder_model')).toBe(
      join(root, 'models/mt-en-de/onnx/encoder_model.onnx'),
    );
    expect(await folder.onnxPath('decoder_model_merged', 'q8')).toBe(
      join(root, 'models/mt-en-de/onnx/decoder_model_merged_quantized.onnx'),
    );
    expect(await folder.readJson('preprocessor_config.json', { optional: true })).toBeUndefined();
  });

  it('resolves ./-relative paths against the working directory', async () => {
    const path = `./${relative(process.cwd(), join(root, 'models/qa'))}`;
    expect((await openModelFolder(path)).architecture.family).toBe('encoder-only');
  });

  it("resolves 'attn/<name>' under modelsRoot, else ATTN_MODELS, and says what to do with neither", async () => {
    const models = join(root, 'models');
    expect((await openModelFolder('attn/mt-en-de', { modelsRoot: models })).config.model_type).toBe(
      'marian',
    );
    vi.stubEnv('ATTN_MODELS', models);
    expect((await openModelFolder('attn/qa')).config.model_type).toBe('bert');
    vi.stubEnv('ATTN_MODELS', '');
    await expect(openModelFolder('attn/qa')).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      message: expect.stringContaining('set ATTN_MODELS'),
    });
    await expect(openModelFolder('attn/absent', { modelsRoot: models })).rejects.toThrow(
      /no shipped model 'attn\/absent' in .*; there are: attn\/mt-en-de, attn\/qa/,
    );
    await expect(openModelFolder('attn/../qa', { modelsRoot: models })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('fetches Hub sources lazily through the hub client, external data included', async () => {
    vi.stubEnv('HF_TOKEN', '');
    vi.stubEnv('HF_HUB_OFFLINE', '');
    const { model, data } = withExternalData(attentionGraph().bytes, 'model.onnx_data');
    const hub = await startHubServer({
      repos: {
        'org/tiny-bert': {
          files: {
            'config.json': JSON.stringify({ model_type: 'bert' }),
            'onnx/model.onnx': Buffer.from(model),
            'onnx/model.onnx_data': Buffer.from(data),
          },
        },
      },
    });
    const cacheDir = join(root, 'hub-cache');
    try {
      const folder = await openModelFolder('org/tiny-bert', {
        hub: { endpoint: hub.endpoint, cacheDir, offline: false },
      });
      expect(folder.files.location).toBe('hub:org/tiny-bert@main');
      expect(folder.generationConfig).toBeUndefined();
      const fetchedBefore = hub.requests.filter((request) => request.path.includes('onnx/')).length;
      expect(fetchedBefore).toBe(0); // nothing but the configs until a model file is asked for
      const path = await folder.onnxPath('model');
      expect(new Uint8Array(await readFile(path))).toEqual(new Uint8Array(model));
      expect(new Uint8Array(await readFile(join(path, '..', 'model.onnx_data')))).toEqual(
        new Uint8Array(data),
      );
      await expect(folder.onnxPath('model', 'q8')).rejects.toMatchObject({
        code: 'FILE_NOT_FOUND',
      });
      // the cached snapshot runs, tapped, though its files are links into blobs/
      const sessions = new SessionCache({ tapCacheDir: join(root, 'hub-taps') });
      const { attention } = await (
        await sessions.get(path, { taps: { encoder_self: [0] } })
      ).run(attentionGraphInputs('encoder'));
      expect(attention.get('attn.encoder_self.0')?.dims).toEqual([2, 2, 3, 3]);
      await sessions.dispose();
    } finally {
      await hub.close();
    }
  });
});

describe('openModelFolder offline', () => {
  it('takes optional files the cache does not hold as absent, and still refuses an uncached config.json', async () => {
    vi.stubEnv('HF_TOKEN', '');
    const hub = await startHubServer({
      repos: {
        'org/cached-config': {
          files: {
            'config.json': JSON.stringify({ model_type: 'bert' }),
            'generation_config.json': JSON.stringify({ max_length: 7 }),
            'tokenizer_config.json': JSON.stringify({ model_max_length: 9 }),
          },
        },
      },
    });
    const cacheDir = join(root, 'offline-cache');
    try {
      // only config.json reaches the cache (as a client that fetched just that file leaves it)
      await hubFile('org/cached-config', 'config.json', { endpoint: hub.endpoint, cacheDir });
      const requests = hub.requests.length;
      const folder = await openModelFolder('org/cached-config', {
        hub: { endpoint: hub.endpoint, cacheDir, offline: true },
      });
      expect(folder.config.model_type).toBe('bert');
      expect(folder.generationConfig).toBeUndefined();
      expect(await folder.readJson('tokenizer_config.json', { optional: true })).toBeUndefined();
      await expect(folder.readJson('tokenizer_config.json')).rejects.toMatchObject({
        code: 'OFFLINE',
      });
      expect(hub.requests.length).toBe(requests);
      await expect(
        openModelFolder('org/never-fetched', {
          hub: { endpoint: hub.endpoint, cacheDir, offline: true },
        }),
      ).rejects.toMatchObject({ code: 'OFFLINE' });
    } finally {
      await hub.close();
    }
  });
});

describe('openModelFolder: errors list what the folder holds', () => {
  it('a missing config.json', async () => {
    const folder = await folderWith('no-config', {
      'onnx/model.onnx': 'x',
      'tokenizer.json': '{}',
    });
    await expect(openModelFolder(folder)).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringContaining(
        'has no config.json; it holds: onnx/model.onnx, tokenizer.json',
      ),
    });
  });

  it('a missing ONNX file, naming the sessions and dtypes there are', async () => {
    const folder = await openModelFolder(join(root, 'models/qa'));
    await expect(folder.onnxPath('model')).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringMatching(
        /has no onnx\/model\.onnx; it holds: config\.json, onnx\/model_fp16\.onnx\. Fix: ask for a session and dtype the folder has: model \(fp16\)/,
      ),
    });
    await expect(folder.filePath('tokenizer.json')).rejects.toThrow(
      /has no tokenizer.json; it holds: config.json, onnx\/model_fp16.onnx/,
    );
  });

  it('a config without model_type, an unknown model_type, invalid JSON, a missing folder', async () => {
    await expect(
      openModelFolder(await folderWith('untyped', { 'config.json': '{"hidden_size": 8}' })),
    ).rejects.toMatchObject({
      code: 'MODEL_FORMAT',
      message: expect.stringContaining('has no model_type'),
    });
    await expect(
      openModelFolder(await folderWith('alien', { 'config.json': '{"model_type": "alien"}' })),
    ).rejects.toMatchObject({
      code: 'MODEL_FORMAT',
      message: expect.stringMatching(
        /model_type 'alien', which attn does not know.*encoder-decoder: marian, bart/,
      ),
    });
    await expect(
      openModelFolder(await folderWith('broken', { 'config.json': '{"model_type": ' })),
    ).rejects.toMatchObject({
      code: 'MODEL_FORMAT',
      message: expect.stringContaining('is not valid JSON'),
    });
    await expect(openModelFolder(join(root, 'nowhere'))).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
    await expect(openModelFolder('')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a file path leaving the folder', async () => {
    const folder = await openModelFolder(join(root, 'models/qa'));
    await expect(folder.filePath('../mt-en-de/config.json')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(folder.filePath('/etc/passwd')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('file names and model types', () => {
  it.each([
    ['model', 'fp32', 'onnx/model.onnx'],
    ['model', 'fp16', 'onnx/model_fp16.onnx'],
    ['decoder_model_merged', 'q8', 'onnx/decoder_model_merged_quantized.onnx'],
    ['encoder_model', 'int8', 'onnx/encoder_model_int8.onnx'],
    ['encoder_model', 'uint8', 'onnx/encoder_model_uint8.onnx'],
    ['decoder_with_past_model', 'q4', 'onnx/decoder_with_past_model_q4.onnx'],
    ['decoder_model', 'q4f16', 'onnx/decoder_model_q4f16.onnx'],
    ['model', 'bnb4', 'onnx/model_bnb4.onnx'],
  ] as const)('%s %s -> %s, and back', (session, dtype, name) => {
    expect(onnxFileName(session, dtype)).toBe(name);
    expect(parseOnnxFileName(name)).toEqual({ session, dtype });
  });

  it('refuses unknown sessions and dtypes, and parses only session file names', () => {
    expect(() => onnxFileName('decoder' as never)).toThrow(
      /session must be one of model, encoder_model/,
    );
    expect(() => onnxFileName('model', 'fp8' as never)).toThrow(
      /dtype must be one of fp32, fp16, q8/,
    );
    expect(parseOnnxFileName('model.onnx_data')).toBeUndefined();
    expect(parseOnnxFileName('weights_fp16.onnx')).toBeUndefined();
  });

  it('maps model types to their sessions', () => {
    expect(modelArchitecture('whisper').sessions).toEqual([
      'encoder_model',
      'decoder_model_merged',
    ]);
    expect(modelArchitecture('gpt2')).toEqual({
      family: 'decoder-only',
      sessions: ['model'],
      alternativeSessions: [],
    });
    for (const type of ['bert', 'distilbert', 'roberta', 'vit', 'detr'])
      expect(modelArchitecture(type).family).toBe('encoder-only');
    for (const type of ['marian', 'bart', 'mbart', 't5'])
      expect(modelArchitecture(type).family).toBe('encoder-decoder');
  });
});
