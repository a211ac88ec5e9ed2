import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../../tensor/index.js';
import {
  attentionGraph,
  attentionGraphInputs,
  expectClose,
  OnnxBuilder,
  type FusedAttentionOp,
} from '../../testing/index.js';
import {
  readAttentionTaps,
  recomputeAttention,
  tapModel,
  type RecomputeRecipe,
  type TapRequest,
} from './index.js';

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'attn-recompute-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

async function tappedAttention(
  bytes: Uint8Array,
  request: TapRequest,
  feeds: Record<string, Tensor>,
): Promise<Map<string, Tensor<'float32'>>> {
  const tapped = await tapModel(bytes, request, { cacheDir });
  const session = await ort.InferenceSession.create(tapped.modelPath);
  const inputs = Object.fromEntries(
    Object.entries(feeds).map(([name, t]) => [
      name,
      new ort.Tensor(t.type, t.data as ort.Tensor.DataType, [...t.dims]),
    ]),
  );
  const outputs = await session.run(inputs);
  await session.release();
  return readAttentionTaps(tapped.taps, outputs as unknown as Record<string, Tensor>);
}

describe('fused attention taps', () => {
  const cases: [FusedAttentionOp, 'encoder' | 'decoder'][] = [
    ['MultiHeadAttention', 'encoder'],
    ['MultiHeadAttention', 'decoder'],
    ['Attention', 'encoder'],
    ['Attention23', 'encoder'],
    ['Attention23', 'decoder'],
  ];
  for (const [fused, role] of cases) {
    it(`${fused} (${role}): equal the unfused graph's Softmax taps`, async () => {
      const request: TapRequest =
        role === 'encoder' ? { encoder_self: 'all' } : { decoder_self: 'all', cross: 'all' };
      const feeds = attentionGraphInputs(role, { batch: 2, queries: 3, keys: 5 });
      const reference = await tappedAttention(
        attentionGraph({ role, layers: 2, seed: 21 }).bytes,
        request,
        feeds,
      );
      const recomputed = await tappedAttention(
        attentionGraph({ role, layers: 2, seed: 21, fused, named: false }).bytes,
        request,
        feeds,
      );
      expect([...recomputed.keys()]).toEqual([...reference.keys()]);
      for (const [name, expected] of reference) {
        const actual = recomputed.get(name) as Tensor<'float32'>;
        expect(actual.dims).toEqual(expected.dims);
        expectClose(actual.data, expected.data, { atol: 1e-5, rtol: 0, label: `${fused} ${name}` });
      }
    });
  }

  it('records how to recompute each fused layer', async () => {
    const tapped = await tapModel(
      attentionGraph({ role: 'decoder', fused: 'MultiHeadAttention' }).bytes,
      { decoder_self: [0] },
      { cacheDir },
    );
    expect(tapped.taps[0]).toMatchObject({
      operator: 'MultiHeadAttention',
      outputs: {
        query: 'attn.decoder_self.0.query',
        key: 'attn.decoder_self.0.key',
        bias: 'attn.decoder_self.0.bias',
      },
      recipe: {
        operator: 'MultiHeadAttention',
        numHeads: 2,
        causal: true,
        maskFilterValue: -10000,
      },
    });
    const native = await tapModel(
      attentionGraph({ fused: 'Attention23' }).bytes,
      { encoder_self: [0] },
      { cacheDir },
    );
    expect(native.taps[0]).toMatchObject({
      operator: 'Attention23',
      outputs: { probabilities: 'attn.encoder_self.0' },
      recipe: undefined,
    });
  });

  it('refuses a MultiHeadAttention with a KV cache inside, saying what to do', async () => {
    const builder = new OnnxBuilder({ domains: { 'com.microsoft': 1 } });
    const inputs = ['query', 'key', 'value', '', '', '', 'past_key', 'past_value'].map((name) =>
      name === ''
        ? ''
        : builder.input(
            name,
            'float32',
            name.startsWith('past') ? [1, 2, 'past', 4] : [1, 'sequence', 8],
          ),
    );
    builder.node('MultiHeadAttention', inputs, {
      name: 'mha',
      domain: 'com.microsoft',
      attributes: { num_heads: 2 },
      outputs: ['output', 'present_key', 'present_value'],
    });
    builder.output('output', 'float32');
    await expect(
      tapModel(builder.toBytes(), { encoder_self: [0] }, { cacheDir }),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining(
        "com.microsoft MultiHeadAttention node 'mha' uses past_key / past_value inputs",
      ),
    });
  });

  it('names fused operators it cannot recover when a graph has no other attention', async () => {
    const builder = new OnnxBuilder({ domains: { 'com.microsoft': 1 } });
    const inputs = ['query', 'key', 'value'].map((name) =>
      builder.input(name, 'float32', [1, 'sequence', 8]),
    );
    builder.node('GroupQueryAttention', inputs, {
      domain: 'com.microsoft',
      attributes: { num_heads: 2, kv_num_heads: 1 },
      outputs: ['output'],
    });
    builder.output('output', 'float32');
    await expect(
      tapModel(builder.toBytes(), { decoder_self: [0] }, { cacheDir }),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('computes attention with com.microsoft.GroupQueryAttention'),
    });
  });
});

describe('recomputeAttention', () => {
  const recipe: RecomputeRecipe = {
    operator: 'MultiHeadAttention',
    numHeads: 1,
    scale: 1,
    causal: false,
    maskFilterValue: -10000,
  };
  const query: Tensor = { type: 'float32', data: new Float32Array([1]), dims: [1, 1, 1] };
  const key: Tensor = {
    type: 'float32',
    data: new Float32Array([0, Math.log(3), 5]),
    dims: [1, 3, 1],
  };

  it('matches a hand-worked example: scores 0, ln 3, 5 with the third key masked give 1/4, 3/4, 0', () => {
    const lengths: Tensor = { type: 'int32', data: new Int32Array([2]), dims: [1] };
    // masked score 5 - 10000: exp(-9995) is 0 in float32
    expectClose(recomputeAttention(recipe, { query, key, mask: lengths }).data, [0.25, 0.75, 0], {
      atol: 1e-7,
    });
    const raw: Tensor = { type: 'int32', data: new Int32Array([1, 1, 0]), dims: [1, 3] };
    expectClose(recomputeAttention(recipe, { query, key, mask: raw }).data, [0.25, 0.75, 0], {
      atol: 1e-7,
    });
  });

  it('adds the bias to queries and keys, and attention_bias to the scores', () => {
    // bias [q | k | v] = [1 | 0 | 0]: the query becomes 2, scores 0, 2 ln 3, 10
    const bias: Tensor = { type: 'float32', data: new Float32Array([1, 0, 0]), dims: [3] };
    // attention_bias -10 on the last key: scores 0, 2 ln 3, 0 -> weights 1/11, 9/11, 1/11
    const attentionBias: Tensor = {
      type: 'float32',
      data: new Float32Array([0, 0, -10]),
      dims: [1, 1, 1, 3],
    };
    expectClose(
      recomputeAttention(recipe, { query, key, bias, attentionBias }).data,
      [1 / 11, 9 / 11, 1 / 11],
      { atol: 1e-6 },
    );
  });

  it('masks future keys when causal, with a cache offset of S - T', () => {
    const queries: Tensor = { type: 'float32', data: new Float32Array([0, 0]), dims: [1, 2, 1] };
    const weights = recomputeAttention({ ...recipe, causal: true }, { query: queries, key });
    // query 0 sits at position 1 of 3 keys: sees keys 0 and 1 equally; query 1 sees all three
    expectClose(weights.data, [0.5, 0.5, 0, 1 / 3, 1 / 3, 1 / 3], { atol: 1e-6 });
    expect(weights.dims).toEqual([1, 1, 2, 3]);
  });

  it('reads Q and K out of a packed projection [B,T,Wq+Wk+Wv] with qkv_hidden_sizes', () => {
    // H = 2, D = 1, rows [q0 q1 | k0 k1 | v v]: t0 = [1 0 | 0 1 | 9 9], t1 = [1 1 | ln 3, 0 | 9 9]
    const qkv: Tensor = {
      type: 'float32',
      data: new Float32Array([1, 0, 0, 1, 9, 9, 1, 1, Math.log(3), 0, 9, 9]),
      dims: [1, 2, 6],
    };
    const packed = recomputeAttention(
      { ...recipe, operator: 'Attention', numHeads: 2, qkvHiddenSizes: [2, 2, 2] },
      { qkv },
    );
    expect(packed.dims).toEqual([1, 2, 2, 2]);
    // head 0: both queries are 1 against keys 0, ln 3 -> 1/4, 3/4; head 1: query 0 against keys 1, 0 -> 1/2, 1/2,
    // query 1 -> e/(1+e), 1/(1+e)
    const e = Math.E;
    expectClose(packed.data, [0.25, 0.75, 0.25, 0.75, 0.5, 0.5, e / (1 + e), 1 / (1 + e)], {
      atol: 1e-6,
    });
  });

  it('names unsupported layouts', () => {
    const packedQuery: Tensor = {
      type: 'float32',
      data: new Float32Array(6),
      dims: [1, 1, 1, 3, 2],
    };
    expect(() => recomputeAttention(recipe, { query: packedQuery, key })).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED',
        message: expect.stringContaining('packed [B,T,H,3,D]'),
      }),
    );
    const fourD: Tensor = { type: 'int32', data: new Int32Array(3), dims: [1, 1, 1, 3] };
    expect(() => recomputeAttention(recipe, { query, key, mask: fourD })).toThrow(
      /mask must be \[B\] key lengths, \[B,S\] or \[B,T,S\]/,
    );
    expect(() => recomputeAttention(recipe, { query })).toThrow(/the tapped key tensor is missing/);
    expect(() =>
      recomputeAttention(
        { ...recipe, numHeads: 3 },
        { query: { type: 'float32', data: new Float32Array(4), dims: [1, 1, 4] }, key },
      ),
    ).toThrow(/does not split into num_heads = 3/);
  });
});
