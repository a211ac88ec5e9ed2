// Every model folder shipped under models/: its ONNX files load in onnxruntime-node with the input and output names
// of its architecture's Optimum export, and the runtime's attention taps reach one attention Softmax per layer of
// every kind the architecture has (issue 4/5 acceptance). A folder appears here as soon as its recipe ships it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelsRoot } from '@attn/models';
import {
  SessionCache,
  attentionLayers,
  decodeModel,
  readModelFile,
  type TapRequest,
} from '@attn/core-attention/runtime';
import { afterAll, describe, expect, it } from 'vitest';

type Config = Record<string, unknown>;
type Layers = { encoder_self: number[]; decoder_self: number[]; cross: number[] };

const range = (count: unknown): number[] => Array.from({ length: Number(count) }, (_, i) => i);

/** The ONNX files of each architecture, their Optimum input/output names, and the tapped layers expected. */
function expectations(config: Config): {
  files: Record<string, { inputs: string[]; outputs: string[] }>;
  layers: Layers;
} {
  const type = config['model_type'];
  const past = (layers: unknown, prefix: string, parts: string[]): string[] =>
    range(layers).flatMap((i) => parts.map((part) => `${prefix}.${i}.${part}`));
  switch (type) {
    case 'marian':
    case 'bart':
    case 'whisper': {
      const encoderInput =
        type === 'whisper' ? ['input_features'] : ['input_ids', 'attention_mask'];
      return {
        files: {
          'onnx/encoder_model.onnx': { inputs: encoderInput, outputs: ['last_hidden_state'] },
          'onnx/decoder_model_merged.onnx': {
            inputs: [
              'input_ids',
              'encoder_hidden_states',
              ...past(config['decoder_layers'], 'past_key_values', [
                'decoder.key',
                'decoder.value',
              ]),
            ],
            outputs: [
              'logits',
              ...past(config['decoder_layers'], 'present', ['decoder.key', 'decoder.value']),
            ],
          },
        },
        layers: {
          encoder_self: range(config['encoder_layers']),
          decoder_self: range(config['decoder_layers']),
          cross: range(config['decoder_layers']),
        },
      };
    }
    case 'bert':
      return {
        files: {
          'onnx/model.onnx': {
            inputs: ['input_ids', 'attention_mask', 'token_type_ids'],
            outputs: ['start_logits', 'end_logits'],
          },
        },
        layers: { encoder_self: range(config['num_hidden_layers']), decoder_self: [], cross: [] },
      };
    case 'gpt2':
      return {
        files: {
          'onnx/model.onnx': {
            inputs: [
              'input_ids',
              'attention_mask',
              ...past(config['n_layer'], 'past_key_values', ['key', 'value']),
            ],
            outputs: ['logits', ...past(config['n_layer'], 'present', ['key', 'value'])],
          },
        },
        layers: { encoder_self: [], decoder_self: range(config['n_layer']), cross: [] },
      };
    case 'vit':
      return {
        files: { 'onnx/model.onnx': { inputs: ['pixel_values'], outputs: ['logits'] } },
        layers: { encoder_self: range(config['num_hidden_layers']), decoder_self: [], cross: [] },
      };
    case 'detr':
      return {
        files: {
          'onnx/model.onnx': {
            inputs: ['pixel_values', 'pixel_mask'],
            outputs: ['logits', 'pred_boxes'],
          },
        },
        layers: {
          encoder_self: range(config['encoder_layers']),
          decoder_self: range(config['decoder_layers']),
          cross: range(config['decoder_layers']),
        },
      };
    case 'attn-gru':
      return {
        files: {
          'onnx/encoder_model.onnx': {
            inputs: ['input_ids', 'attention_mask'],
            outputs: ['last_hidden_state'],
          },
          'onnx/decoder_model_merged.onnx': {
            inputs: ['input_ids', 'encoder_hidden_states', 'encoder_attention_mask', 'past_state'],
            outputs: ['logits', 'present_state'],
          },
        },
        layers: { encoder_self: [], decoder_self: [], cross: [0] },
      };
    default:
      throw new Error(`shipped-models.test: no expectations for model_type ${String(type)}`);
  }
}

const shipped = readdirSync(modelsRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(modelsRoot, entry.name, 'config.json')))
  .map((entry) => entry.name);

const sessions = new SessionCache();
afterAll(() => sessions.dispose());

describe('shipped models', () => {
  it('ships at least the translation model', () => {
    expect(shipped).toContain('mt-en-de');
  });

  describe.each(shipped)('attn/%s', (name) => {
    const folder = join(modelsRoot, name);
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Config;
    const expected = expectations(config);

    it('loads in onnxruntime-node with the Optimum input and output names', async () => {
      for (const [file, names] of Object.entries(expected.files)) {
        const session = await sessions.get(join(folder, file));
        expect(session.inputNames).toEqual(expect.arrayContaining(names.inputs));
        expect(session.outputNames).toEqual(expect.arrayContaining(names.outputs));
      }
    });

    it('has an attention Softmax the taps reach for every layer of every attention kind', async () => {
      const found: Layers = { encoder_self: [], decoder_self: [], cross: [] };
      for (const file of Object.keys(expected.files)) {
        const path = join(folder, file);
        const layers = attentionLayers(decodeModel(await readModelFile(path), path));
        const request: TapRequest = Object.fromEntries(
          Object.entries(layers).filter(([, selected]) => selected.length > 0),
        );
        // the tapped copy loads in onnxruntime and carries one tap per requested layer
        const tapped = await sessions.get(path, { taps: request });
        expect(tapped.taps.length).toBe(Object.values(request).flat().length);
        for (const kind of ['encoder_self', 'decoder_self', 'cross'] as const) {
          found[kind] = [...new Set([...found[kind], ...layers[kind]])].sort((a, b) => a - b);
        }
      }
      expect(found).toEqual(expected.layers);
    });
  });
});
