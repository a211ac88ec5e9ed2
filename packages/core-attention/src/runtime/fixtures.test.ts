// The tiny random-weight model folders of test-fixtures/ (written by tools/model-zoo/fixtures.py) through the runtime:
// each opens, each ONNX session has the Optimum input/output names of its architecture, runs reproduce the PyTorch
// outputs stored in test-fixtures/reference.json (greedy ids with the KV cache, QA logits, image logits and boxes),
// taps find every attention layer of the right kind with rows summing to 1, and tokenizers round-trip.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTensor, type Tensor } from '../tensor/index.js';
import { expectClose } from '../testing/index.js';
import { openModelFolder, type ModelFolder, type OnnxSessionName } from './model-folder/index.js';
import { decodeModel } from './onnx-graph/index.js';
import { SessionCache } from './session/index.js';
import { attentionLayers, type AttentionKind, type TapRequest } from './taps/index.js';
import { TextTokenizer } from './tokenizer/index.js';

const fixturesRoot = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));
const reference = JSON.parse(readFileSync(join(fixturesRoot, 'reference.json'), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;
const maxNewTokens = 10;

let sessions: SessionCache;
let tapCacheDir: string;
beforeAll(async () => {
  tapCacheDir = await mkdtemp(join(tmpdir(), 'attn-fixtures-'));
  sessions = new SessionCache({ tapCacheDir });
});
afterAll(async () => {
  await sessions.dispose();
  await rm(tapCacheDir, { recursive: true, force: true });
});

type Feeds = Record<string, Tensor>;
type Outputs = Record<string, Tensor>;
/** Runs one session of the fixture being tested, untapped. */
type Run = (session: OnnxSessionName, feeds: Feeds) => Promise<Outputs>;

interface SessionSpec {
  inputs: string[];
  outputs: string[];
  /** Attention layers per kind the graph must offer for tapping; kinds left out must have none. */
  attention: Partial<Record<AttentionKind, number[]>>;
}

interface FixtureCase {
  modelType: string;
  sessions: Partial<Record<OnnxSessionName, SessionSpec>>;
  /** Feeds of one forward run of each session (a decoder's first step). */
  feeds(run: Run, folder: ModelFolder): Promise<Partial<Record<OnnxSessionName, Feeds>>>;
  /** Compares runs with the PyTorch outputs in reference.json. */
  matchesReference(run: Run, folder: ModelFolder): Promise<void>;
}

const twoLayers = [0, 1];
const seq2seqDecoderPast = (prefix: 'past_key_values' | 'present'): string[] =>
  twoLayers.flatMap((i) => [`${prefix}.${i}.decoder.key`, `${prefix}.${i}.decoder.value`]);
const causalPast = (prefix: 'past_key_values' | 'present'): string[] =>
  twoLayers.flatMap((i) => [`${prefix}.${i}.key`, `${prefix}.${i}.value`]);

const ids = (values: readonly number[]): Tensor<'int64'> =>
  createTensor('int64', [1, values.length], BigInt64Array.from(values, BigInt));
const ones = (length: number): Tensor<'int64'> => ids(new Array<number>(length).fill(1));

/** Zero-length past tensors [1, heads, 0, head_dim] for every cache input, as a first decoding step takes. */
function emptyPast(names: readonly string[], config: Record<string, unknown>): Feeds {
  const heads = Number(config['decoder_attention_heads'] ?? config['n_head']);
  const width = Number(config['d_model'] ?? config['n_embd']);
  return Object.fromEntries(
    names.map((name) => [name, createTensor('float32', [1, heads, 0, width / heads])]),
  );
}

/** The index of the largest value of the last row of logits [1, T, V], with `banned` left out. */
function lastRowArgmax(logits: Tensor, banned?: number): number {
  const vocabulary = logits.dims[2] as number;
  const data = logits.data as Float32Array;
  const offset = data.length - vocabulary;
  let best = -1;
  for (let v = 0; v < vocabulary; v++) {
    if (v === banned) continue;
    if (best < 0 || (data[offset + v] as number) > (data[offset + best] as number)) best = v;
  }
  return best;
}

/**
 * Greedy decoding with the KV cache: step(tokens, past) runs the decoder on the new tokens; every `present.*` output
 * becomes the `past_key_values.*` input of the next step. Returns the chosen ids, EOS included when reached.
 */
async function greedy(
  prompt: number[],
  eos: number,
  past: Feeds,
  step: (tokens: number[], past: Feeds, total: number) => Promise<Outputs>,
  options: { banEosFirst?: boolean } = {},
): Promise<number[]> {
  const chosen: number[] = [];
  let tokens = prompt;
  let total = prompt.length;
  for (let index = 0; index < maxNewTokens; index++) {
    const outputs = await step(tokens, past, total);
    const next = lastRowArgmax(
      outputs['logits'] as Tensor,
      index === 0 && options.banEosFirst ? eos : undefined,
    );
    chosen.push(next);
    if (next === eos) break;
    past = Object.fromEntries(
      Object.keys(past).map((name) => [
        name,
        outputs[name.replace('past_key_values.', 'present.')] as Tensor,
      ]),
    );
    tokens = [next];
    total += 1;
  }
  return chosen;
}

/** `pixel_values[b][c][y][x] = ((x + 2y + 3c) % 17) / 8 - 1`, as reference.json states, [1, 3, size, size]. */
function formulaImage(size: number): Tensor<'float32'> {
  const image = createTensor('float32', [1, 3, size, size]);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        image.data[(c * size + y) * size + x] = ((x + 2 * y + 3 * c) % 17) / 8 - 1;
  return image;
}

function seq2seqCase(name: string, modelType: string): FixtureCase {
  const expected = reference[name] as { input_ids: number[]; greedy_ids: number[] };
  const encoderFeeds = (): Feeds => ({
    input_ids: ids(expected.input_ids),
    attention_mask: ones(expected.input_ids.length),
  });
  const decoderStep =
    (run: Run, hidden: Tensor) =>
    (tokens: number[], past: Feeds): Promise<Outputs> =>
      run('decoder_model_merged', {
        input_ids: ids(tokens),
        encoder_attention_mask: ones(expected.input_ids.length),
        encoder_hidden_states: hidden,
        ...past,
      });
  return {
    modelType,
    sessions: {
      encoder_model: {
        inputs: ['input_ids', 'attention_mask'],
        outputs: ['last_hidden_state'],
        attention: { encoder_self: twoLayers },
      },
      decoder_model_merged: {
        inputs: [
          'input_ids',
          'encoder_attention_mask',
          'encoder_hidden_states',
          ...seq2seqDecoderPast('past_key_values'),
        ],
        outputs: ['logits', ...seq2seqDecoderPast('present')],
        attention: { decoder_self: twoLayers, cross: twoLayers },
      },
    },
    async feeds(run, folder) {
      const hidden = (await run('encoder_model', encoderFeeds()))['last_hidden_state'] as Tensor;
      const start = Number(folder.config['decoder_start_token_id']);
      return {
        encoder_model: encoderFeeds(),
        decoder_model_merged: {
          input_ids: ids([start]),
          encoder_attention_mask: ones(expected.input_ids.length),
          encoder_hidden_states: hidden,
          ...emptyPast(seq2seqDecoderPast('past_key_values'), folder.config),
        },
      };
    },
    async matchesReference(run, folder) {
      const hidden = (await run('encoder_model', encoderFeeds()))['last_hidden_state'] as Tensor;
      const past = emptyPast(seq2seqDecoderPast('past_key_values'), folder.config);
      const start = Number(folder.generationConfig?.['decoder_start_token_id']);
      const eos = Number(folder.generationConfig?.['eos_token_id']);
      expect(await greedy([start], eos, past, decoderStep(run, hidden))).toEqual(
        expected.greedy_ids,
      );
    },
  };
}

const gpt2Reference = reference['tiny-gpt2'] as { input_ids: number[]; greedy_ids: number[] };
const gpt2Step =
  (run: Run) =>
  (tokens: number[], past: Feeds, total: number): Promise<Outputs> =>
    run('model', {
      input_ids: ids(tokens),
      attention_mask: ones(total),
      position_ids: ids(tokens.map((_, index) => total - tokens.length + index)),
      ...past,
    });

const whisperReference = reference['tiny-whisper'] as {
  dims: number[];
  decoder_input_ids: number[];
  greedy_ids: number[];
};
/** Whisper's log-mel of silence is -1.5 everywhere (reference.json's input_features). */
const silenceFeatures = (): Tensor<'float32'> =>
  createTensor(
    'float32',
    whisperReference.dims,
    new Float32Array(whisperReference.dims.reduce((a, b) => a * b, 1)).fill(-1.5),
  );
const whisperStep =
  (run: Run, hidden: Tensor) =>
  (tokens: number[], past: Feeds): Promise<Outputs> =>
    run('decoder_model_merged', { input_ids: ids(tokens), encoder_hidden_states: hidden, ...past });

const cases: Record<string, FixtureCase> = {
  'tiny-marian': seq2seqCase('tiny-marian', 'marian'),
  'tiny-bart': seq2seqCase('tiny-bart', 'bart'),
  'tiny-bert': {
    modelType: 'bert',
    sessions: {
      model: {
        inputs: ['input_ids', 'attention_mask', 'token_type_ids'],
        outputs: ['start_logits', 'end_logits'],
        attention: { encoder_self: twoLayers },
      },
    },
    async feeds() {
      const expected = reference['tiny-bert'] as { input_ids: number[]; token_type_ids: number[] };
      return {
        model: {
          input_ids: ids(expected.input_ids),
          attention_mask: ones(expected.input_ids.length),
          token_type_ids: ids(expected.token_type_ids),
        },
      };
    },
    async matchesReference(run, folder) {
      const expected = reference['tiny-bert'] as { start_logits: number[]; end_logits: number[] };
      const outputs = await run('model', (await this.feeds(run, folder)).model as Feeds);
      const data = (name: string): Float32Array => outputs[name]?.data as Float32Array;
      expectClose(data('start_logits'), expected.start_logits, { atol: 1e-4, label: 'start' });
      expectClose(data('end_logits'), expected.end_logits, { atol: 1e-4, label: 'end' });
    },
  },
  'tiny-gpt2': {
    modelType: 'gpt2',
    sessions: {
      model: {
        inputs: ['input_ids', 'attention_mask', 'position_ids', ...causalPast('past_key_values')],
        outputs: ['logits', ...causalPast('present')],
        attention: { decoder_self: twoLayers },
      },
    },
    async feeds(run, folder) {
      const prompt = gpt2Reference.input_ids;
      return {
        model: {
          input_ids: ids(prompt),
          attention_mask: ones(prompt.length),
          position_ids: ids(prompt.map((_, index) => index)),
          ...emptyPast(causalPast('past_key_values'), folder.config),
        },
      };
    },
    async matchesReference(run, folder) {
      const eos = Number(folder.generationConfig?.['eos_token_id']);
      const past = emptyPast(causalPast('past_key_values'), folder.config);
      expect(await greedy(gpt2Reference.input_ids, eos, past, gpt2Step(run))).toEqual(
        gpt2Reference.greedy_ids,
      );
    },
  },
  'tiny-vit': {
    modelType: 'vit',
    sessions: {
      model: {
        inputs: ['pixel_values'],
        outputs: ['logits', 'last_hidden_state'],
        attention: { encoder_self: twoLayers },
      },
    },
    async feeds() {
      return { model: { pixel_values: formulaImage(32) } };
    },
    async matchesReference(run) {
      const expected = reference['tiny-vit'] as {
        logits: number[];
        last_hidden_state_cls: number[];
      };
      const outputs = await run('model', { pixel_values: formulaImage(32) });
      const width = expected.last_hidden_state_cls.length;
      const hidden = outputs['last_hidden_state'] as Tensor;
      expect(hidden.dims).toEqual([1, (32 / 8) ** 2 + 1, width]); // 16 patches + [CLS]
      expectClose(outputs['logits']?.data as Float32Array, expected.logits, { atol: 1e-4 });
      expectClose(
        (hidden.data as Float32Array).subarray(0, width),
        expected.last_hidden_state_cls,
        {
          atol: 1e-4,
        },
      );
    },
  },
  'tiny-detr': {
    modelType: 'detr',
    sessions: {
      model: {
        inputs: ['pixel_values', 'pixel_mask'],
        outputs: ['logits', 'pred_boxes'],
        attention: { encoder_self: twoLayers, decoder_self: twoLayers, cross: twoLayers },
      },
    },
    async feeds() {
      const pixelMask = createTensor('int64', [1, 64, 64], new BigInt64Array(64 * 64).fill(1n));
      return { model: { pixel_values: formulaImage(64), pixel_mask: pixelMask } };
    },
    async matchesReference(run, folder) {
      const expected = reference['tiny-detr'] as { logits: number[]; pred_boxes: number[] };
      const outputs = await run('model', (await this.feeds(run, folder)).model as Feeds);
      const queries = Number(folder.config['num_queries']);
      const labels = Object.keys(folder.config['id2label'] as object).length;
      expect(outputs['logits']?.dims).toEqual([1, queries, labels + 1]); // + "no object"
      expect(outputs['pred_boxes']?.dims).toEqual([1, queries, 4]);
      expectClose(outputs['logits']?.data as Float32Array, expected.logits, { atol: 1e-4 });
      expectClose(outputs['pred_boxes']?.data as Float32Array, expected.pred_boxes, {
        atol: 1e-4,
      });
    },
  },
  'tiny-whisper': {
    modelType: 'whisper',
    sessions: {
      encoder_model: {
        inputs: ['input_features'],
        outputs: ['last_hidden_state'],
        attention: { encoder_self: twoLayers },
      },
      decoder_model_merged: {
        inputs: ['input_ids', 'encoder_hidden_states', ...seq2seqDecoderPast('past_key_values')],
        outputs: [
          'logits',
          ...seq2seqDecoderPast('present'),
          ...twoLayers.map((i) => `cross_attentions.${i}`),
        ],
        attention: { decoder_self: twoLayers, cross: twoLayers },
      },
    },
    async feeds(run, folder) {
      const hidden = (await run('encoder_model', { input_features: silenceFeatures() }))[
        'last_hidden_state'
      ] as Tensor;
      return {
        encoder_model: { input_features: silenceFeatures() },
        decoder_model_merged: {
          input_ids: ids(whisperReference.decoder_input_ids),
          encoder_hidden_states: hidden,
          ...emptyPast(seq2seqDecoderPast('past_key_values'), folder.config),
        },
      };
    },
    async matchesReference(run, folder) {
      const hidden = (await run('encoder_model', { input_features: silenceFeatures() }))[
        'last_hidden_state'
      ] as Tensor;
      expect(hidden.dims).toEqual([1, Number(folder.config['max_source_positions']), 16]);
      const eos = Number(folder.generationConfig?.['eos_token_id']);
      const past = emptyPast(seq2seqDecoderPast('past_key_values'), folder.config);
      const chosen = await greedy(
        whisperReference.decoder_input_ids,
        eos,
        past,
        whisperStep(run, hidden),
        { banEosFirst: true }, // begin_suppress_tokens
      );
      expect(chosen).toEqual(whisperReference.greedy_ids);
    },
  },
};

/** Asserts every row of probabilities [B, H, T, S] is a distribution. */
function expectRowsSumToOne(probabilities: Tensor, label: string): void {
  expect(probabilities.dims, label).toHaveLength(4);
  const keys = probabilities.dims[3] as number;
  const data = probabilities.data as Float32Array;
  const sums = new Float64Array(data.length / keys);
  for (let row = 0; row < sums.length; row++) {
    let sum = 0;
    for (let s = 0; s < keys; s++) sum += data[row * keys + s] as number;
    sums[row] = sum;
  }
  expectClose(sums, new Float64Array(sums.length).fill(1), { atol: 1e-5, label });
}

describe.each(Object.entries(cases))('%s', (name, fixture) => {
  let folder: ModelFolder;
  const run: Run = async (session, feeds) => {
    const model = await sessions.get(await folder.onnxPath(session));
    return (await model.run(feeds)).outputs as unknown as Outputs;
  };

  beforeAll(async () => {
    folder = await openModelFolder(join(fixturesRoot, name));
  });

  it('opens as a model folder of its model_type with the sessions of its family', () => {
    expect(folder.config.model_type).toBe(fixture.modelType);
    expect([...folder.architecture.sessions].sort()).toEqual(Object.keys(fixture.sessions).sort());
  });

  it('has exactly the Optimum input and output names of its architecture', async () => {
    for (const [session, spec] of Object.entries(fixture.sessions) as [
      OnnxSessionName,
      SessionSpec,
    ][]) {
      const model = await sessions.get(await folder.onnxPath(session));
      expect(model.inputNames, `${session} inputs`).toEqual(spec.inputs);
      expect(model.outputNames, `${session} outputs`).toEqual(spec.outputs);
    }
  });

  it('reproduces the PyTorch outputs of reference.json', async () => {
    await fixture.matchesReference(run, folder);
  });

  it('offers every attention layer for tapping, and tapped rows sum to 1', async () => {
    const feeds = await fixture.feeds(run, folder);
    for (const [session, spec] of Object.entries(fixture.sessions) as [
      OnnxSessionName,
      SessionSpec,
    ][]) {
      const path = await folder.onnxPath(session);
      const layers = attentionLayers(decodeModel(await readFile(path), path));
      expect(layers, session).toEqual({
        encoder_self: spec.attention.encoder_self ?? [],
        decoder_self: spec.attention.decoder_self ?? [],
        cross: spec.attention.cross ?? [],
      });
      const request: TapRequest = Object.fromEntries(
        Object.keys(spec.attention).map((kind) => [kind, 'all']),
      );
      const tapped = await sessions.get(path, { taps: request });
      expect(tapped.outputNames).toEqual(spec.outputs); // the taps add outputs of their own only
      const { outputs, attention } = await tapped.run(feeds[session] as Feeds);
      const expectedNames = Object.entries(spec.attention).flatMap(([kind, kindLayers]) =>
        kindLayers.map((layer) => `attn.${kind}.${layer}`),
      );
      expect([...attention.keys()].sort()).toEqual(expectedNames.sort());
      for (const [tapName, probabilities] of attention)
        expectRowsSumToOne(probabilities, `${name} ${session} ${tapName}`);
      for (const layer of twoLayers) {
        // Whisper's exported cross_attentions.{i} are the very Softmax the taps read.
        const exported = outputs[`cross_attentions.${layer}`];
        if (exported !== undefined)
          expect(Array.from(attention.get(`attn.cross.${layer}`)?.data ?? [])).toEqual(
            Array.from(exported.data as Float32Array),
          );
      }
    }
  });
});

describe.each(['tiny-marian', 'tiny-bart', 'tiny-gpt2'])('%s tokenizer', (name) => {
  it("encodes reference.json's input to its ids and decodes them back", async () => {
    const folder = await openModelFolder(join(fixturesRoot, name));
    const tokenizer = new TextTokenizer(
      await folder.readJson('tokenizer.json'),
      await folder.readJson('tokenizer_config.json'),
    );
    const expected = reference[name] as { input: string; input_ids: number[] };
    const { ids: encoded } = tokenizer.encode(expected.input);
    expect(encoded).toEqual(expected.input_ids);
    expect(tokenizer.decode(encoded)).toBe(expected.input);
  });
});

describe('tiny-bert and tiny-whisper tokenizers', () => {
  it("bert: [CLS] question [SEP] as reference.json's pair starts, lowercased on decode", async () => {
    const folder = await openModelFolder(join(fixturesRoot, 'tiny-bert'));
    const tokenizer = new TextTokenizer(
      await folder.readJson('tokenizer.json'),
      await folder.readJson('tokenizer_config.json'),
    );
    const expected = reference['tiny-bert'] as { question: string; input_ids: number[] };
    const question = tokenizer.encode(expected.question);
    const sep = tokenizer.tokenToId('[SEP]') as number;
    expect(question.ids).toEqual(expected.input_ids.slice(0, expected.input_ids.indexOf(sep) + 1));
    expect(tokenizer.decode(tokenizer.encode('A Dog runs in the PARK').ids)).toBe(
      'a dog runs in the park',
    );
  });

  it('whisper: the transcription prompt around the text, timestamps outside the vocabulary', async () => {
    const folder = await openModelFolder(join(fixturesRoot, 'tiny-whisper'));
    const tokenizer = new TextTokenizer(
      await folder.readJson('tokenizer.json'),
      await folder.readJson('tokenizer_config.json'),
    );
    const { ids: encoded } = tokenizer.encode('a dog runs in the park');
    const eos = Number(folder.generationConfig?.['eos_token_id']);
    expect(encoded.slice(0, 4)).toEqual(whisperReference.decoder_input_ids);
    expect(encoded.at(-1)).toBe(eos);
    expect(tokenizer.decode(encoded)).toBe('a dog runs in the park');
    const noTimestamps = Number(folder.generationConfig?.['no_timestamps_token_id']);
    expect(tokenizer.idToToken(noTimestamps)).toBe('<|notimestamps|>');
    expect(tokenizer.vocabSize).toBe(noTimestamps + 1); // timestamp ids follow, outside tokenizer.json
    expect(Number(folder.config['vocab_size'])).toBeGreaterThan(noTimestamps);
  });
});
