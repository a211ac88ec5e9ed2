// Optimum's other two encoder–decoder layouts (tools/model-zoo/zoo/architectures/optimum_layouts.py) on tiny-bart's
// weights: tiny-bart-merged (one decoder graph with an If on use_cache_branch, cross keys/values cached) and
// tiny-bart-split (decoder_model.onnx + decoder_with_past_model.onnx, the latter without present.*.encoder.*).
// Both must generate what tiny-bart's plain decoder generates, and tap the same cross-attention on every step.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose, repositoryRoot } from '../../testing/index.js';
import { openModelFolder } from '../model-folder/index.js';
import { readModel } from '../onnx-graph/index.js';
import { SessionCache } from '../session/index.js';
import { EncoderDecoderModel } from './encoder-decoder-model.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const reference = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8')) as Record<
  string,
  { input_ids: number[]; greedy_ids: number[] }
>;
const plain = reference['tiny-bart']!;
const shorter = plain.input_ids.slice(0, 5);

let sessions: SessionCache;
let tapCacheDir: string;
beforeAll(async () => {
  tapCacheDir = await mkdtemp(join(tmpdir(), 'attn-decoder-layouts-'));
  sessions = new SessionCache({ tapCacheDir });
});
afterAll(async () => {
  await sessions.dispose();
  await rm(tapCacheDir, { recursive: true, force: true });
});

const load = async (name: string, attention = {}): Promise<EncoderDecoderModel> =>
  EncoderDecoderModel.load(await openModelFolder(join(fixtures, name)), { sessions, attention });

const graphOf = async (name: string, file: string) =>
  (await readModel(join(fixtures, name, 'onnx', file))).model.graph!;
const namesOf = (values: { name?: string | null }[] | null | undefined): string[] =>
  (values ?? []).map((value) => value.name ?? '');

describe('the fixtures have the layouts they are named after', () => {
  it('tiny-bart-merged: one If on use_cache_branch, taking and giving the encoder (cross) cache', async () => {
    const graph = await graphOf('tiny-bart-merged', 'decoder_model_merged.onnx');
    expect(graph.node?.map((node) => node.opType)).toEqual(['If']);
    expect(namesOf(graph.input)).toContain('use_cache_branch');
    expect(namesOf(graph.input)).toContain('past_key_values.1.encoder.value');
    expect(namesOf(graph.output)).toContain('present.1.encoder.value');
  });

  it('tiny-bart-split: the with-past decoder takes the encoder cache but does not output it', async () => {
    const first = await graphOf('tiny-bart-split', 'decoder_model.onnx');
    const later = await graphOf('tiny-bart-split', 'decoder_with_past_model.onnx');
    expect(namesOf(first.input).some((name) => name.startsWith('past_key_values'))).toBe(false);
    expect(namesOf(first.output)).toContain('present.1.encoder.value');
    expect(namesOf(later.input)).toContain('past_key_values.1.encoder.value');
    expect(namesOf(later.output).filter((name) => name.includes('.encoder.'))).toEqual([]);
    await expect(graphOf('tiny-bart-split', 'decoder_model_merged.onnx')).rejects.toThrow(
      /no ONNX file/,
    );
  });
});

describe.each(['tiny-bart-merged', 'tiny-bart-split'])('%s as EncoderDecoderModel', (name) => {
  it("generates tiny-bart's greedy ids, with and without the KV cache", async () => {
    const model = await load(name);
    const cached = await model.generate([plain.input_ids], { maxNewTokens: 10 });
    const uncached = await model.generate([plain.input_ids], { maxNewTokens: 10, useCache: false });
    expect(plain.greedy_ids.length).toBeGreaterThan(2); // later steps run the with-past graph
    expect(cached.sequences[0]![0]!.tokens).toEqual(plain.greedy_ids);
    expect(uncached.sequences[0]![0]!.tokens).toEqual(plain.greedy_ids);
  });

  it('loads every session with the given session options, and refuses options onnxruntime refuses', async () => {
    const before = sessions.size;
    const folder = await openModelFolder(join(fixtures, name));
    const model = await EncoderDecoderModel.load(folder, {
      sessions,
      sessionOptions: { intraOpNumThreads: 1 },
    });
    // new sessions (encoder, decoder and, split, the with-past decoder), not the default ones
    expect(sessions.size - before).toBe(name === 'tiny-bart-split' ? 3 : 2);
    const generated = await model.generate([plain.input_ids], { maxNewTokens: 10 });
    expect(generated.sequences[0]![0]!.tokens).toEqual(plain.greedy_ids);
    await expect(
      EncoderDecoderModel.load(folder, { sessions, sessionOptions: { intraOpNumThreads: -1 } }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/refused the session options .*intraOpNumThreads/),
    });
  });

  it("beam search (3 beams, a padded batch of two) ranks as on tiny-bart's plain decoder", async () => {
    const options = { maxNewTokens: 10, numBeams: 3 };
    const ours = await (await load(name)).generate([plain.input_ids, shorter], options);
    const expected = await (await load('tiny-bart')).generate([plain.input_ids, shorter], options);
    for (const row of [0, 1]) {
      const top = ours.sequences[row]![0]!;
      expect(top.tokens).toEqual(expected.sequences[row]![0]!.tokens);
      expect(top.score).toBeCloseTo(expected.sequences[row]![0]!.score, 4);
    }
  });

  it('taps cross-attention on every step, rows summing to 1 and equal to tiny-bart', async () => {
    const request = { maxNewTokens: 10 };
    const ours = await (await load(name, { cross: 'all' })).generate([plain.input_ids], request);
    const expected = await (
      await load('tiny-bart', { cross: 'all' })
    ).generate([plain.input_ids], request);
    expect(ours.stepResults.length).toBe(plain.greedy_ids.length);
    ours.stepResults.forEach(({ result }, step) => {
      for (const layer of [0, 1]) {
        const cross = result.attention.get(`attn.cross.${layer}`)!;
        const [rows, heads, queries, keys] = cross.dims as [number, number, number, number];
        expect([rows, queries, keys]).toEqual([1, 1, plain.input_ids.length]);
        for (let row = 0; row < rows * heads * queries; row++) {
          const weights = cross.data.subarray(row * keys, (row + 1) * keys);
          expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 5);
        }
        const plainCross = expected.stepResults[step]!.result.attention.get(`attn.cross.${layer}`)!;
        expectClose(cross.data, plainCross.data, {
          atol: 1e-5,
          label: `${name} step ${step} cross layer ${layer}`,
        });
      }
    });
  });
});
