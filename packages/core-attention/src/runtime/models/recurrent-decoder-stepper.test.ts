// The recurrent layout (tools/model-zoo/zoo/export_gru.py) on test-fixtures/tiny-gru, the ablation's attention GRU
// with random weights: greedy ids and the additive attention of every step equal PyTorch's (reference.json), the
// state is carried and reordered as a KV cache would be, and the Softmax is tapped as cross attention of layer 0.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttnError } from '../../errors/index.js';
import { expectClose, repositoryRoot } from '../../testing/index.js';
import { openModelFolder } from '../model-folder/index.js';
import { SessionCache } from '../session/index.js';
import { attentionLayers } from '../taps/index.js';
import { readModel } from '../onnx-graph/index.js';
import { EncoderDecoderModel } from './encoder-decoder-model.js';
import { recurrentStateSlots } from './recurrent-decoder-stepper.js';
import { sequenceAttention } from './sequence-attention.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const expected = (
  JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8')) as Record<
    string,
    { input_ids: number[]; greedy_ids: number[]; cross_attention: number[][] }
  >
)['tiny-gru']!;
const shorter = expected.input_ids.slice(0, 6);

let sessions: SessionCache;
let tapCacheDir: string;
beforeAll(async () => {
  tapCacheDir = await mkdtemp(join(tmpdir(), 'attn-recurrent-'));
  sessions = new SessionCache({ tapCacheDir });
});
afterAll(async () => {
  await sessions.dispose();
  await rm(tapCacheDir, { recursive: true, force: true });
});

const load = async (attention = {}): Promise<EncoderDecoderModel> =>
  EncoderDecoderModel.load(await openModelFolder(join(fixtures, 'tiny-gru')), {
    sessions,
    attention,
  });

describe('tiny-gru as EncoderDecoderModel', () => {
  it('generates the PyTorch greedy ids, carrying the state or re-feeding the prefix, and with one beam', async () => {
    const model = await load();
    expect(expected.greedy_ids.length).toBeGreaterThan(2); // later steps read past_state
    for (const options of [{}, { useCache: false }, { numBeams: 1 }]) {
      const run = await model.generate([expected.input_ids], { maxNewTokens: 10, ...options });
      expect(run.sequences[0]![0]!.tokens).toEqual(expected.greedy_ids);
    }
  });

  it('beam search keeps each state row with its beam: as re-feeding every prefix, and per row as alone', async () => {
    const model = await load();
    const options = { maxNewTokens: 10, minNewTokens: 6, numBeams: 4, numReturnSequences: 4 };
    const carried = await model.generate([expected.input_ids, shorter], options);
    const refed = await model.generate([expected.input_ids, shorter], {
      ...options,
      useCache: false,
    });
    for (const [row, source] of [expected.input_ids, shorter].entries()) {
      const alone = (await model.generate([source], options)).sequences[0]!;
      for (const ranked of [refed.sequences[row]!, alone]) {
        expect(carried.sequences[row]!.map(({ tokens }) => tokens)).toEqual(
          ranked.map(({ tokens }) => tokens),
        );
        carried.sequences[row]!.forEach(({ score }, rank) =>
          expect(score).toBeCloseTo(ranked[rank]!.score, 4),
        );
      }
    }
  });

  it("taps attn.cross.0: PyTorch's additive attention weights on every step, rows summing to 1", async () => {
    const model = await load({ cross: 'all' });
    const run = await model.generate([expected.input_ids], { maxNewTokens: 10 });
    expect(run.stepResults.length).toBe(expected.cross_attention.length);
    run.stepResults.forEach(({ result }, step) => {
      const cross = result.attention.get('attn.cross.0')!;
      expect(cross.dims).toEqual([1, 1, 1, expected.input_ids.length]);
      expect(cross.data.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 5);
      expectClose(cross.data, expected.cross_attention[step]!, {
        atol: 1e-4,
        label: `tiny-gru step ${step}`,
      });
    });
  });

  it('stitches each beam hypothesis its attention, none of it on the padding of a shorter row', async () => {
    const model = await load({ cross: [0] });
    const run = await model.generate([expected.input_ids, shorter], {
      maxNewTokens: 10,
      numBeams: 2,
    });
    const sequence = run.sequences[1]![0]!;
    const cross = sequenceAttention(run.stepResults, sequence, 'cross')!;
    expect([cross.layers, cross.heads, cross.queries]).toEqual([[0], 1, sequence.tokens.length]);
    for (let query = 0; query < cross.queries; query++) {
      const weights = cross.data.subarray(query * cross.keys, (query + 1) * cross.keys);
      expect(weights.slice(0, shorter.length).reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 5);
      expect(Math.max(...weights.slice(shorter.length))).toBe(0);
    }
  });

  it('the decoder graph offers its additive attention as cross attention of layer 0, and nothing else', async () => {
    const { model } = await readModel(join(fixtures, 'tiny-gru/onnx/decoder_model_merged.onnx'));
    expect(attentionLayers(model)).toEqual({ encoder_self: [], decoder_self: [], cross: [0] });
  });
});

describe('recurrentStateSlots', () => {
  const metadata = (name: string, shape: (number | string)[]): ort.InferenceSession.ValueMetadata =>
    ({ name, isTensor: true, type: 'float32', shape }) as ort.InferenceSession.ValueMetadata;

  it('pairs past_state with present_state and reads its size; a transformer decoder has none', () => {
    const inputs = [
      metadata('input_ids', ['batch_size', 1]),
      metadata('past_state', ['batch_size', 16]),
    ];
    expect(recurrentStateSlots(inputs, ['logits', 'present_state'])).toEqual([
      { input: 'past_state', output: 'present_state', size: [16] },
    ]);
    const marian = [metadata('past_key_values.0.decoder.key', ['batch_size', 2, 'past', 8])];
    expect(recurrentStateSlots(marian, ['present.0.decoder.key'])).toEqual([]);
  });

  it('rejects a state without its output or with a symbolic size, saying how to re-export', () => {
    const noOutput = () => recurrentStateSlots([metadata('past_state', ['batch_size', 16])], []);
    const symbolic = () =>
      recurrentStateSlots([metadata('past_state', ['batch_size', 'hidden'])], ['present_state']);
    for (const call of [noOutput, symbolic]) {
      expect(call).toThrow(AttnError);
      expect(call).toThrow(/past_state but has no output present_state of the same fixed size/);
    }
  });
});
