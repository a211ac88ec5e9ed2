import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../../tensor/index.js';
import {
  attentionGraph,
  attentionGraphInputs,
  expectClose,
  type AttentionBlock,
  type AttentionGraphOptions,
} from '../../testing/index.js';
import {
  addGraphOutput,
  decodeModel,
  encodeModel,
  readModel,
  toNumber,
} from '../onnx-graph/index.js';
import { readAttentionTaps, tapModel } from './index.js';

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'attn-taps-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

async function run(
  model: string | Uint8Array,
  feeds: Record<string, Tensor>,
): Promise<Record<string, Tensor>> {
  const session =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model)
      : await ort.InferenceSession.create(model);
  const inputs = Object.fromEntries(
    Object.entries(feeds).map(([name, t]) => [
      name,
      new ort.Tensor(t.type, t.data as ort.Tensor.DataType, [...t.dims]),
    ]),
  );
  const outputs = await session.run(inputs);
  await session.release();
  return outputs as unknown as Record<string, Tensor>;
}

/** The same model with each block's Q [B,H,T,D] and K [B,H,S,D] as graph outputs. */
function withQueriesAndKeys(bytes: Uint8Array, blocks: AttentionBlock[]): Uint8Array {
  const model = decodeModel(bytes, 'fixture');
  for (const block of blocks) {
    addGraphOutput(model.graph!, block.query!, 'float32');
    addGraphOutput(model.graph!, block.key!, 'float32');
  }
  return encodeModel(model);
}

/** softmax(Q Kᵀ · scale + mask) in float64, masking with the fixture's additive value. */
function referenceProbabilities(
  query: Tensor,
  key: Tensor,
  block: AttentionBlock,
  feeds: Record<string, Tensor>,
  scale: number,
  maskValue: number,
): Float64Array {
  const [B, H, T, D] = query.dims as [number, number, number, number];
  const S = key.dims[2] as number;
  const padding =
    block.padding === undefined ? undefined : (feeds[block.padding]?.data as BigInt64Array);
  const weights = new Float64Array(B * H * T * S);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const row = ((b * H + h) * T + t) * S;
        let max = -Infinity;
        for (let s = 0; s < S; s++) {
          let dot = 0;
          for (let d = 0; d < D; d++)
            dot +=
              (query.data[((b * H + h) * T + t) * D + d] as number) *
              (key.data[((b * H + h) * S + s) * D + d] as number);
          let score = dot * scale;
          if (padding !== undefined && padding[b * S + s] === 0n) score += maskValue;
          if (block.causal && s > t) score += maskValue;
          weights[row + s] = score;
          max = Math.max(max, score);
        }
        let sum = 0;
        for (let s = 0; s < S; s++)
          sum += weights[row + s] = Math.exp((weights[row + s] as number) - max);
        for (let s = 0; s < S; s++) weights[row + s] = (weights[row + s] as number) / sum;
      }
    }
  }
  return weights;
}

function expectRowsSumToOne(tensor: Tensor): void {
  const S = tensor.dims.at(-1) as number;
  const sums = [];
  for (let row = 0; row < tensor.data.length / S; row++) {
    let sum = 0;
    for (let s = 0; s < S; s++) sum += tensor.data[row * S + s] as number;
    sums.push(sum);
  }
  expectClose(
    sums,
    sums.map(() => 1),
    { atol: 1e-5, label: 'row sums' },
  );
}

describe('tapModel: tapped probabilities', () => {
  const cases: [string, AttentionGraphOptions, Parameters<typeof attentionGraphInputs>[1]][] = [
    ['encoder self-attention, named nodes, padding', { role: 'encoder', layers: 2, seed: 3 }, {}],
    [
      'encoder self-attention, anonymous nodes',
      { role: 'encoder', layers: 2, seed: 4, named: false },
      {},
    ],
    [
      'decoder causal self- and cross-attention, named',
      { role: 'decoder', layers: 2, seed: 5 },
      { queries: 3, keys: 5 },
    ],
    [
      'decoder, anonymous nodes (cross found from encoder_hidden_states)',
      { role: 'decoder', layers: 2, seed: 6, named: false },
      { keys: 5 },
    ],
    [
      'merged decoder (If over use_cache_branch)',
      { role: 'decoder', layers: 2, seed: 7, merged: true },
      { useCacheBranch: true },
    ],
  ];
  for (const [label, graphOptions, inputOptions] of cases) {
    it(`equal a float64 recomputation from the same model's queries and keys: ${label}`, async () => {
      const graph = attentionGraph(graphOptions);
      const feeds = attentionGraphInputs(graphOptions.role ?? 'encoder', inputOptions);
      const request =
        graphOptions.role === 'decoder'
          ? ({ decoder_self: 'all', cross: 'all' } as const)
          : ({ encoder_self: 'all' } as const);
      const tapped = await tapModel(graph.bytes, request, { cacheDir });
      expect(tapped.taps.map((tap) => tap.name).sort()).toEqual(
        graph.blocks.map((block) => block.tap).sort(),
      );
      const attention = readAttentionTaps(tapped.taps, await run(tapped.modelPath, feeds));
      // queries and keys come from the unmerged graph: the merged one keeps them inside its If branches
      const plain = graphOptions.merged
        ? attentionGraph({ ...graphOptions, merged: false })
        : graph;
      const qk = await run(withQueriesAndKeys(plain.bytes, plain.blocks), feeds);
      for (const block of plain.blocks) {
        const probabilities = attention.get(block.tap) as Tensor;
        const expected = referenceProbabilities(
          qk[block.query!]!,
          qk[block.key!]!,
          block,
          feeds,
          graph.scale,
          graph.maskValue,
        );
        expectClose(probabilities.data as Float32Array, expected, {
          atol: 1e-4,
          rtol: 0,
          label: block.tap,
        });
        expectRowsSumToOne(probabilities);
      }
    });
  }

  it('does not change what the graph computes', async () => {
    const graph = attentionGraph({ role: 'decoder', layers: 2, seed: 8 });
    const feeds = attentionGraphInputs('decoder');
    const tapped = await tapModel(graph.bytes, { cross: [0] }, { cacheDir });
    const original = await run(graph.bytes, feeds);
    const rewritten = await run(tapped.modelPath, feeds);
    expect(rewritten.last_hidden_state?.data).toEqual(original.last_hidden_state?.data);
  });
});

describe('tapModel: outputs and cache', () => {
  it('adds outputs only for the requested layers', async () => {
    const graph = attentionGraph({ role: 'decoder', layers: 3, seed: 9 });
    const tapped = await tapModel(graph.bytes, { cross: [2, 0], decoder_self: [1] }, { cacheDir });
    const { model } = await readModel(tapped.modelPath);
    const outputs = model.graph?.output?.map((output) => output.name);
    expect(outputs).toEqual([
      'last_hidden_state',
      'attn.decoder_self.1',
      'attn.cross.0',
      'attn.cross.2',
    ]);
    expect(model.graph?.node?.filter((node) => node.opType === 'Softmax')).toHaveLength(6); // untouched, only read
    expect(
      tapped.taps.map(({ name, kind, layer, operator }) => ({ name, kind, layer, operator })),
    ).toEqual([
      { name: 'attn.decoder_self.1', kind: 'decoder_self', layer: 1, operator: 'Softmax' },
      { name: 'attn.cross.0', kind: 'cross', layer: 0, operator: 'Softmax' },
      { name: 'attn.cross.2', kind: 'cross', layer: 2, operator: 'Softmax' },
    ]);
    expect(tapped.taps[0]?.node).toBe('/model/decoder/layers.1/self_attn/Softmax');
  });

  it('declares the shape the graph knows for a tapped value, unknown dims symbolic', async () => {
    const model = decodeModel(attentionGraph({ seed: 13 }).bytes, 'encoder');
    const softmax = model.graph?.node?.find((node) => node.opType === 'Softmax')
      ?.output?.[0] as string;
    model.graph!.valueInfo = [
      {
        name: softmax,
        type: {
          tensorType: {
            elemType: 1,
            shape: { dim: [{ dimParam: 'batch_size' }, { dimValue: 2 }, {}, {}] },
          },
        },
      },
    ];
    const tapped = await tapModel(encodeModel(model), { encoder_self: [0] }, { cacheDir });
    const declared = (await readModel(tapped.modelPath)).model.graph?.output?.find(
      (output) => output.name === 'attn.encoder_self.0',
    );
    const dims = declared?.type?.tensorType?.shape?.dim?.map(
      (dim) => dim.dimParam || toNumber(dim.dimValue),
    );
    expect(dims).toEqual(['batch_size', 2, 'attn.encoder_self.0_dim2', 'attn.encoder_self.0_dim3']);
    const undeclared = await tapModel(
      attentionGraph({ seed: 13 }).bytes,
      { encoder_self: [0] },
      { cacheDir },
    );
    const output = (await readModel(undeclared.modelPath)).model.graph?.output?.find(
      (candidate) => candidate.name === 'attn.encoder_self.0',
    );
    expect(output?.type?.tensorType?.elemType).toBe(1); // float32
    expect(output?.type?.tensorType?.shape).toBeNull(); // rank unknown
  });

  it('writes the rewritten model once and reuses it for the same request', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'attn-taps-cache-'));
    const graph = attentionGraph({ layers: 2, seed: 10 });
    const first = await tapModel(graph.bytes, { encoder_self: [1] }, { cacheDir: directory });
    const written = (await stat(first.modelPath)).mtimeMs;
    await new Promise((done) => setTimeout(done, 20));
    const second = await tapModel(graph.bytes, { encoder_self: [1, 1] }, { cacheDir: directory });
    expect(first.reused).toBe(false);
    expect(second.reused).toBe(true);
    expect(second.modelPath).toBe(first.modelPath);
    expect((await stat(second.modelPath)).mtimeMs).toBe(written);
    expect(second.taps).toEqual(first.taps);
    const other = await tapModel(graph.bytes, { encoder_self: [0] }, { cacheDir: directory });
    expect(other.reused).toBe(false);
    expect(other.modelPath).not.toBe(first.modelPath);
    expect((await readdir(directory)).sort()).toHaveLength(4); // two models, two records, no temporary files left
    await rm(directory, { recursive: true, force: true });
  });

  it('names the layers a graph has when asked for one it lacks', async () => {
    const graph = attentionGraph({ layers: 2, seed: 11 });
    await expect(tapModel(graph.bytes, { encoder_self: [2] }, { cacheDir })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(
        'no encoder_self attention at layer 2; it has encoder_self layers [0, 1]',
      ),
    });
    await expect(tapModel(graph.bytes, { cross: 'all' }, { cacheDir })).rejects.toThrow(
      /has no cross attention; it has encoder_self layers \[0, 1\]/,
    );
    await expect(tapModel(graph.bytes, { cross: [0] }, { cacheDir })).rejects.toThrow(
      /cross-attention lives in the decoder/,
    );
  });

  it('rejects malformed requests', async () => {
    const { bytes } = attentionGraph({ seed: 12 });
    await expect(tapModel(bytes, {}, { cacheDir })).rejects.toThrow(
      /at least one kind with layers/,
    );
    await expect(tapModel(bytes, { encoder_self: [] }, { cacheDir })).rejects.toThrow(
      /at least one kind/,
    );
    await expect(tapModel(bytes, { self: [0] } as never, { cacheDir })).rejects.toThrow(
      /keys among encoder_self, decoder_self, cross, got 'self'/,
    );
    await expect(tapModel(bytes, { encoder_self: [-1] }, { cacheDir })).rejects.toThrow(
      /request.encoder_self must be 'all' or an array/,
    );
  });
});

describe('readAttentionTaps', () => {
  it('reshapes [B·H,T,S] taps to [B,H,T,S] when told H, and names a missing output', () => {
    const tap = {
      name: 'attn.cross.0',
      kind: 'cross',
      layer: 0,
      operator: 'Softmax',
      node: '',
      outputs: { probabilities: 'attn.cross.0' },
      recipe: undefined,
    } as const;
    const flat: Tensor = { type: 'float32', data: new Float32Array(4 * 2 * 3), dims: [4, 2, 3] };
    expect(
      readAttentionTaps([tap], { 'attn.cross.0': flat }, { numHeads: 2 }).get('attn.cross.0')?.dims,
    ).toEqual([2, 2, 2, 3]);
    expect(readAttentionTaps([tap], { 'attn.cross.0': flat }).get('attn.cross.0')?.dims).toEqual([
      4, 2, 3,
    ]);
    expect(() => readAttentionTaps([tap], { 'attn.cross.0': flat }, { numHeads: 3 })).toThrow(
      /numHeads must divide the first dim/,
    );
    expect(() => readAttentionTaps([tap], {})).toThrow(/the outputs have no 'attn.cross.0'/);
  });
});
