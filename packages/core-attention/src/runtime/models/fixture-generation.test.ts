// attn's generation on the tiny fixtures (tools/model-zoo/fixtures.py): greedy ids equal PyTorch's, which are
// also transformers.js's (tools/bench parity command); the KV cache changes nothing; one beam equals greedy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../testing/index.js';
import { openModelFolder } from '../model-folder/index.js';
import { SessionCache } from '../session/index.js';
import { CausalLanguageModel } from './causal-language-model.js';
import { EncoderDecoderModel } from './encoder-decoder-model.js';
import { sequenceAttention } from './sequence-attention.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const reference = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8')) as Record<
  string,
  { input_ids: number[]; greedy_ids: number[]; decoder_start_token_id?: number }
>;
const sessions = new SessionCache();
afterAll(() => sessions.dispose());

describe.each(['tiny-marian', 'tiny-bart'])('%s as EncoderDecoderModel', (name) => {
  const expected = reference[name]!;
  const load = async (attention = {}) =>
    EncoderDecoderModel.load(await openModelFolder(join(fixtures, name)), { sessions, attention });

  it('generates the PyTorch greedy ids, with and without the KV cache', async () => {
    const model = await load();
    const cached = await model.generate([expected.input_ids], { maxNewTokens: 10 });
    const uncached = await model.generate([expected.input_ids], {
      maxNewTokens: 10,
      useCache: false,
    });
    expect(cached.sequences[0]![0]!.tokens).toEqual(expected.greedy_ids);
    expect(uncached.sequences[0]![0]!.tokens).toEqual(expected.greedy_ids);
  });

  it('gives the greedy ids with one beam, and the same per row in a padded batch', async () => {
    const model = await load();
    const beam = await model.generate([expected.input_ids], { maxNewTokens: 10, numBeams: 1 });
    expect(beam.sequences[0]![0]!.tokens).toEqual(expected.greedy_ids);
    const shorter = expected.input_ids.slice(0, 5);
    const longAlone = await model.generate([expected.input_ids], { maxNewTokens: 10, numBeams: 3 });
    const shortAlone = await model.generate([shorter], { maxNewTokens: 10, numBeams: 3 });
    const batched = await model.generate([expected.input_ids, shorter], {
      maxNewTokens: 10,
      numBeams: 3,
    });
    [longAlone, shortAlone].forEach((alone, row) => {
      expect(batched.sequences[row]![0]!.tokens).toEqual(alone.sequences[0]![0]!.tokens);
      expect(batched.sequences[row]![0]!.score).toBeCloseTo(alone.sequences[0]![0]!.score, 4);
    });
  });

  it('returns the cross-attention of every generated step, rows summing to 1 over the real source', async () => {
    const model = await load({ cross: 'all' });
    const run = await model.generate([expected.input_ids, expected.input_ids.slice(0, 5)], {
      maxNewTokens: 10,
      numBeams: 2,
    });
    const sequence = run.sequences[1]![0]!;
    const cross = sequenceAttention(run.stepResults, sequence, 'cross')!;
    expect(cross.layers).toEqual([0, 1]);
    expect(cross.queries).toBe(sequence.tokens.length);
    for (let row = 0; row < cross.layers.length * cross.heads * cross.queries; row++) {
      const weights = cross.data.subarray(row * cross.keys, (row + 1) * cross.keys);
      expect(weights.slice(0, 5).reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 5);
      expect(Math.max(...weights.slice(5))).toBe(0); // padding of the shorter row gets no attention
    }
  });
});

describe('tiny-gpt2 as CausalLanguageModel', () => {
  const expected = reference['tiny-gpt2']!;
  const load = async () =>
    CausalLanguageModel.load(await openModelFolder(join(fixtures, 'tiny-gpt2')), { sessions });

  it('generates the PyTorch greedy ids, with and without the KV cache, and with one beam', async () => {
    const model = await load();
    for (const options of [{}, { useCache: false }, { numBeams: 1 }]) {
      const run = await model.generate([expected.input_ids], { maxNewTokens: 10, ...options });
      expect(run.sequences[0]![0]!.tokens).toEqual(expected.greedy_ids);
    }
  });

  it('masks left padding: a shorter prompt batched with a longer one generates as it does alone', async () => {
    const model = await load();
    const shorter = expected.input_ids.slice(0, 4);
    const alone = await model.generate([shorter], { maxNewTokens: 6 });
    const batched = await model.generate([expected.input_ids, shorter], { maxNewTokens: 6 });
    expect(batched.padding).toEqual([0, expected.input_ids.length - 4]);
    expect(batched.sequences[0]![0]!.tokens).toEqual(expected.greedy_ids);
    expect(batched.sequences[1]![0]!.tokens).toEqual(alone.sequences[0]![0]!.tokens);
  });
});
