import { mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../../tensor/index.js';
import {
  attentionGraph,
  attentionGraphInputs,
  expectClose,
  withExternalData,
} from '../../testing/index.js';
import {
  SessionCache,
  externalDataOptions,
  mergeSessionOptions,
  optionsKey,
  sessionOptions,
} from './index.js';

let folder: string;
let tapCacheDir: string;
let sessions: SessionCache;
const encoder = attentionGraph({ role: 'encoder', layers: 2, seed: 31 });
const feeds = attentionGraphInputs('encoder');

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'attn-session-'));
  await writeFile(join(folder, 'encoder.onnx'), encoder.bytes);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});
afterEach(async () => {
  await sessions?.dispose();
});

async function freshCache(): Promise<SessionCache> {
  tapCacheDir = await mkdtemp(join(folder, 'taps-'));
  sessions = new SessionCache({ tapCacheDir });
  return sessions;
}

describe('SessionCache', () => {
  it('creates a session once per file, options and taps, and hands the same object out again', async () => {
    const cache = await freshCache();
    const path = join(folder, 'encoder.onnx');
    const plain = await cache.get(path);
    expect(await cache.get(path)).toBe(plain);
    expect(await cache.get(`${folder}/./encoder.onnx`)).toBe(plain);
    const tapped = await cache.get(path, { taps: { encoder_self: [1] } });
    expect(tapped).not.toBe(plain);
    expect(await cache.get(path, { taps: { encoder_self: [1, 1] } })).toBe(tapped);
    expect(await cache.get(path, { sessionOptions: { intraOpNumThreads: 1 } })).not.toBe(plain);
    const [first, second] = await Promise.all([
      cache.get(encoder.bytes),
      cache.get(new Uint8Array(encoder.bytes)),
    ]);
    expect(second).toBe(first);
    expect(cache.size).toBe(4);
  });

  it('releases every session on dispose, after which runs fail and get creates anew', async () => {
    const cache = await freshCache();
    const path = join(folder, 'encoder.onnx');
    const session = await cache.get(path);
    await cache.dispose();
    expect(session.isDisposed).toBe(true);
    expect(cache.size).toBe(0);
    await expect(session.run(feeds)).rejects.toThrow(/was disposed/);
    const again = await cache.get(path);
    expect(again).not.toBe(session);
    expect(again.isDisposed).toBe(false);
  });

  it('runs the original file unchanged when attention is off', async () => {
    const cache = await freshCache();
    const path = join(folder, 'encoder.onnx');
    const session = await cache.get(path, { taps: {} });
    expect(session.source).toBe(path);
    expect(session.taps).toEqual([]);
    expect(session.outputNames).toEqual(['last_hidden_state']);
    expect(session.session.outputNames).toEqual(['last_hidden_state']);
    const { outputs, attention } = await session.run(feeds);
    expect(attention.size).toBe(0);
    expect(outputs.last_hidden_state?.dims).toEqual([2, 3, 8]);
    expect(await readdir(tapCacheDir)).toEqual([]); // nothing rewritten
    const fromBytes = await cache.get(encoder.bytes);
    expect(fromBytes.source).toBe('model bytes');
  });

  it('runs the tapped copy when attention is on, returning the graph outputs and the attention apart', async () => {
    const cache = await freshCache();
    const path = join(folder, 'encoder.onnx');
    const session = await cache.get(path, { taps: { encoder_self: 'all' } });
    expect(session.source.startsWith(tapCacheDir)).toBe(true);
    expect(session.outputNames).toEqual(['last_hidden_state']);
    const { outputs, attention } = await session.run(feeds);
    expect(Object.keys(outputs)).toEqual(['last_hidden_state']);
    expect([...attention.keys()]).toEqual(['attn.encoder_self.0', 'attn.encoder_self.1']);
    expect(attention.get('attn.encoder_self.1')?.dims).toEqual([2, 2, 3, 3]);
    const plain = await (await cache.get(path)).run(feeds);
    expect(outputs.last_hidden_state?.data).toEqual(plain.outputs.last_hidden_state?.data);
  });

  it("uses the machine's cores, full optimisation, quiet logging and threads that spin only within a run unless told otherwise", () => {
    const options = sessionOptions();
    expect(options).toMatchObject({
      intraOpNumThreads: availableParallelism(),
      graphOptimizationLevel: 'all',
      executionProviders: ['cpu'],
      logSeverityLevel: 3,
    });
    expect(sessionOptions({ graphOptimizationLevel: 'basic' }).graphOptimizationLevel).toBe(
      'basic',
    );
    expect(options.extra).toEqual({
      session: { intra_op: { allow_spinning: '1' }, force_spinning_stop: '1' },
    });
    expect(optionsKey({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(
      optionsKey({ a: [1, { c: 3, d: 2 }], b: 1 }),
    );
    expect(optionsKey({ a: 1 })).not.toBe(optionsKey({ a: 2 }));
  });

  it('merges onnxruntime configuration entries at every depth, the later value winning', () => {
    const folderEntry = { model_external_initializers_file_folder_path: '/models/big' };
    expect(sessionOptions({ extra: { session: folderEntry } }).extra).toEqual({
      session: { intra_op: { allow_spinning: '1' }, force_spinning_stop: '1', ...folderEntry },
    });
    expect(
      sessionOptions({ extra: { session: { intra_op: { allow_spinning: '0' } } } }).extra,
    ).toEqual({ session: { intra_op: { allow_spinning: '0' }, force_spinning_stop: '1' } });
    expect(
      mergeSessionOptions(
        { logSeverityLevel: 3, intraOpNumThreads: 2, extra: { a: { b: '1' } } },
        { intraOpNumThreads: 1, extra: { a: { c: '2' } } },
      ),
    ).toEqual({ logSeverityLevel: 3, intraOpNumThreads: 1, extra: { a: { b: '1', c: '2' } } });
    expect(mergeSessionOptions({ logSeverityLevel: 3 }, {})).toEqual({ logSeverityLevel: 3 });
    // undefined is left out, as cache keys leave it out: it keeps the default instead of erasing it
    expect(sessionOptions({ intraOpNumThreads: undefined }).intraOpNumThreads).toBe(
      availableParallelism(),
    );
    expect(
      sessionOptions({ extra: { session: { intra_op: { allow_spinning: undefined } } } }).extra,
    ).toEqual({ session: { intra_op: { allow_spinning: '1' }, force_spinning_stop: '1' } });
  });
});

describe('SessionCache: session options it cannot use', () => {
  it('refuses options that are not an object, naming the argument', async () => {
    expect(() => new SessionCache({ sessionOptions: 2 as never })).toThrow(
      /SessionCache\(\): options.sessionOptions must be an object of onnxruntime-node's InferenceSession.SessionOptions .*got 2/,
    );
    await expect(
      (await freshCache()).get(join(folder, 'encoder.onnx'), { sessionOptions: [] as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/SessionCache.get\(\): options.sessionOptions must be/),
    });
  });

  it('reports options onnxruntime refuses as INVALID_ARGUMENT, with its reason and the file', async () => {
    const cache = await freshCache();
    for (const [sessionOptions, reason] of [
      [{ intraOpNumThreads: -1 }, /'intraOpNumThreads' is invalid: -1/],
      [{ intraOpNumThreads: 'two' }, /intraOpNumThreads must be a number/],
      [{ extra: { session: { intra_op: { allow_spinning: 0 } } } }, /extra value must be a string/],
      [{ executionProviders: ['no-such-provider'] }, /no available backend found/],
    ] as const) {
      const failure = cache.get(join(folder, 'encoder.onnx'), {
        sessionOptions: sessionOptions as never,
      });
      await expect(failure).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(reason),
      });
      await expect(failure).rejects.toThrow(/refused the session options for .*encoder.onnx/);
    }
    // a refused session is not kept: the same file loads with good options, an undefined one meaning the default
    expect((await cache.get(join(folder, 'encoder.onnx'))).inputNames.length).toBeGreaterThan(0);
    const options = { sessionOptions: { intraOpNumThreads: undefined } };
    expect(await cache.get(join(folder, 'encoder.onnx'), options)).toBe(
      await cache.get(join(folder, 'encoder.onnx')),
    );
  });
});

describe('ModelSession.run: input checks', () => {
  it("lists the graph's inputs and what was given when one is missing", async () => {
    const session = await (await freshCache()).get(join(folder, 'encoder.onnx'));
    await expect(
      session.run({ hidden_states: feeds.hidden_states as Tensor }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(
        /needs inputs attention_mask; the graph takes hidden_states \(float32\), attention_mask \(int64\); given: hidden_states/,
      ),
    });
  });

  it('names the input and both element types on a dtype mismatch, and checks the rank', async () => {
    const session = await (await freshCache()).get(join(folder, 'encoder.onnx'));
    const int32Mask: Tensor = { type: 'int32', data: new Int32Array(6).fill(1), dims: [2, 3] };
    await expect(session.run({ ...feeds, attention_mask: int32Mask })).rejects.toThrow(
      /run\(\): input 'attention_mask' must be int64 \(as .*encoder.onnx declares\), got 'int32'.*BigInt64Array/,
    );
    const flat: Tensor = { type: 'int64', data: new BigInt64Array(6), dims: [6] };
    await expect(session.run({ ...feeds, attention_mask: flat })).rejects.toThrow(
      /must be a rank-2 tensor \[batch_size,sequence_length\], got dims \[6\]/,
    );
  });

  it('ignores inputs the graph does not take, refuses unknown output names, wraps onnxruntime failures', async () => {
    const session = await (await freshCache()).get(join(folder, 'encoder.onnx'));
    const extra: Tensor = { type: 'int64', data: new BigInt64Array(6), dims: [2, 3] };
    const { outputs } = await session.run(
      { ...feeds, token_type_ids: extra },
      { outputs: ['last_hidden_state'] },
    );
    expect(outputs.last_hidden_state?.dims).toEqual([2, 3, 8]);
    await expect(session.run(feeds, { outputs: ['logits'] })).rejects.toThrow(
      /options.outputs must be names among last_hidden_state/,
    );
    const shortMask: Tensor = { type: 'int64', data: new BigInt64Array(4).fill(1n), dims: [2, 2] };
    await expect(session.run({ ...feeds, attention_mask: shortMask })).rejects.toMatchObject({
      code: 'RUNTIME',
      message: expect.stringContaining(
        'with inputs hidden_states float32 [2,3,8], attention_mask int64 [2,2]',
      ),
    });
  });
});

describe('SessionCache.get: errors', () => {
  it('FILE_NOT_FOUND for a missing file, MODEL_FORMAT for a file onnxruntime cannot load', async () => {
    const cache = await freshCache();
    await expect(cache.get(join(folder, 'absent.onnx'))).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
    const garbage = join(folder, 'garbage.onnx');
    await writeFile(garbage, 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\n');
    await expect(cache.get(garbage)).rejects.toMatchObject({
      code: 'MODEL_FORMAT',
      message: expect.stringContaining(garbage),
    });
    await expect(cache.get(42 as never)).rejects.toThrow(
      /model must be a file path or the bytes of an .onnx file, got 42/,
    );
    expect(cache.size).toBe(0); // failures are not cached
  });
});

describe('tapped models with external data', () => {
  const decoder = attentionGraph({ role: 'decoder', layers: 2, seed: 32 });
  const decoderFeeds = attentionGraphInputs('decoder');

  async function referenceCross(): Promise<Tensor<'float32'>> {
    const session = await sessions.get(decoder.bytes, { taps: { cross: [1] } });
    return (await session.run(decoderFeeds)).attention.get('attn.cross.1') as Tensor<'float32'>;
  }

  it('finds the data beside the original file, though the rewritten model lives in the cache', async () => {
    await freshCache();
    const modelFolder = await mkdtemp(join(folder, 'external-'));
    const { model, data } = withExternalData(decoder.bytes, 'model.onnx_data');
    await writeFile(join(modelFolder, 'model.onnx'), model);
    await writeFile(join(modelFolder, 'model.onnx_data'), data);
    const session = await sessions.get(join(modelFolder, 'model.onnx'), { taps: { cross: [1] } });
    expect(session.source.startsWith(tapCacheDir)).toBe(true);
    const tapped = {
      modelPath: session.source,
      taps: [],
      externalData: ['model.onnx_data'],
      sourceFolder: modelFolder,
      reused: true,
    };
    expect(await externalDataOptions(tapped)).toEqual({
      extra: {
        session: { model_external_initializers_file_folder_path: await realpath(modelFolder) },
      },
    });
    const cross = (await session.run(decoderFeeds)).attention.get(
      'attn.cross.1',
    ) as Tensor<'float32'>;
    expectClose(cross.data, (await referenceCross()).data, { atol: 0, rtol: 0 });
  });

  it('reads data files that are symbolic links (the Hugging Face cache layout)', async () => {
    await freshCache();
    const repo = await mkdtemp(join(folder, 'hf-'));
    await mkdir(join(repo, 'blobs'));
    await mkdir(join(repo, 'snapshots', 'abc', 'onnx'), { recursive: true });
    const { model, data } = withExternalData(decoder.bytes, 'model.onnx_data');
    await writeFile(join(repo, 'blobs', 'model-etag'), model);
    await writeFile(join(repo, 'blobs', 'data-etag'), data);
    await symlink(
      '../../../blobs/model-etag',
      join(repo, 'snapshots', 'abc', 'onnx', 'model.onnx'),
    );
    await symlink(
      '../../../blobs/data-etag',
      join(repo, 'snapshots', 'abc', 'onnx', 'model.onnx_data'),
    );
    const session = await sessions.get(join(repo, 'snapshots', 'abc', 'onnx', 'model.onnx'), {
      taps: { cross: [1] },
    });
    const tapped = {
      modelPath: session.source,
      taps: [],
      externalData: ['model.onnx_data'],
      sourceFolder: join(repo, 'snapshots', 'abc', 'onnx'),
      reused: true,
    };
    const options = await externalDataOptions(tapped);
    expect(options.externalData?.map((file) => typeof file === 'object' && file.path)).toEqual([
      'model.onnx_data',
    ]); // handed over as a buffer
    const cross = (await session.run(decoderFeeds)).attention.get(
      'attn.cross.1',
    ) as Tensor<'float32'>;
    expectClose(cross.data, (await referenceCross()).data, { atol: 0, rtol: 0 });
  });

  it('refuses to tap model bytes that reference external data', async () => {
    await freshCache();
    const { model } = withExternalData(decoder.bytes, 'model.onnx_data');
    await expect(sessions.get(model, { taps: { cross: [0] } })).rejects.toThrow(
      /reference external data \(model.onnx_data\) but have no folder/,
    );
  });
});
