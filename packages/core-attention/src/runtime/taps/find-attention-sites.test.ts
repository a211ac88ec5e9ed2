import { describe, expect, it } from 'vitest';
import { attentionGraph, OnnxBuilder } from '../../testing/index.js';
import { decodeModel, indexGraph } from '../onnx-graph/index.js';
import { attentionLayers, classifyAttentionName, findAttentionSites } from './index.js';

describe('classifyAttentionName', () => {
  it.each([
    ['/model/encoder/layers.0/self_attn/Softmax', 'encoder_self', 0],
    ['/model/decoder/layers.3/self_attn/Softmax', 'decoder_self', 3],
    ['/model/decoder/layers.3/encoder_attn/Softmax', 'cross', 3],
    ['/decoder/block.1/layer.1/EncDecAttention/Softmax', 'cross', 1],
    ['/encoder/block.2/layer.0/SelfAttention/Softmax', 'encoder_self', 2],
    ['/bert/encoder/layer.11/attention/self/Softmax', 'encoder_self', 11],
    ['/vit/encoder/layer.4/attention/attention/Softmax', 'encoder_self', 4],
    ['/distilbert/transformer/layer.5/attention/Softmax', 'self', 5],
    ['/transformer/h.7/attn/Softmax', 'self', 7],
    ['/model/layers.2/self_attn/Softmax', 'self', 2],
    ['Softmax_12', undefined, undefined],
  ])('%s -> %s layer %s', (name, kind, layer) => {
    expect(classifyAttentionName(name)).toEqual({ kind, layer });
  });
});

describe('findAttentionSites', () => {
  it('reads kinds and layers from Optimum names', () => {
    const { bytes } = attentionGraph({ role: 'decoder', layers: 2 });
    const sites = findAttentionSites(indexGraph(decodeModel(bytes, 'decoder').graph!));
    expect(sites.map(({ kind, layer, operator }) => `${kind}.${layer} ${operator}`)).toEqual([
      'decoder_self.0 Softmax',
      'cross.0 Softmax',
      'decoder_self.1 Softmax',
      'cross.1 Softmax',
    ]);
  });

  it('falls back to structure without names: order of appearance, cross where keys come from encoder_hidden_states', () => {
    for (const fused of [undefined, 'MultiHeadAttention', 'Attention23'] as const) {
      const { bytes } = attentionGraph({ role: 'decoder', layers: 3, named: false, fused });
      const sites = findAttentionSites(indexGraph(decodeModel(bytes, 'decoder').graph!));
      expect(sites.map(({ kind, layer }) => `${kind}.${layer}`)).toEqual([
        'decoder_self.0',
        'cross.0',
        'decoder_self.1',
        'cross.1',
        'decoder_self.2',
        'cross.2',
      ]);
      expect(sites.every((site) => site.node.name === '')).toBe(true);
    }
  });

  it('calls unnamed self-attention encoder_self unless the graph looks like a decoder, or told otherwise', () => {
    const { bytes } = attentionGraph({ role: 'encoder', layers: 2, named: false });
    const model = decodeModel(bytes, 'encoder');
    expect(attentionLayers(model)).toEqual({ encoder_self: [0, 1], decoder_self: [], cross: [] });
    expect(attentionLayers(model, { selfAttention: 'decoder_self' })).toEqual({
      encoder_self: [],
      decoder_self: [0, 1],
      cross: [],
    });
  });

  it('follows Cast, Dropout and masking Where to the value MatMul, and skips a Softmax that is not attention', () => {
    const builder = new OnnxBuilder();
    const scores = builder.input('scores', 'float32', [1, 2, 3, 3]);
    const values = builder.input('values', 'float32', [1, 2, 3, 4]);
    const keep = builder.input('keep', 'bool', [1, 1, 1, 3]);
    const [probabilities] = builder.node('Softmax', [scores], { attributes: { axis: -1 } });
    const [cast] = builder.node('Cast', [probabilities!], { attributes: { to: 1 } });
    const [dropped] = builder.node('Dropout', [cast!]);
    const [masked] = builder.node('Where', [
      keep,
      dropped!,
      builder.constant('zero', { type: 'float32', data: new Float32Array([0]), dims: [] }),
    ]);
    builder.node('MatMul', [masked!, values], { outputs: ['context'] });
    builder.node('Softmax', [values], {
      outputs: ['label_probabilities'],
      attributes: { axis: -1 },
    }); // a classifier head
    const sites = findAttentionSites(indexGraph(builder.graph));
    expect(sites).toHaveLength(1);
    expect(sites[0]?.node.output).toEqual([probabilities]);
    expect(sites[0]?.kind).toBe('encoder_self');
  });

  it('finds taps inside both branches of a merged decoder', () => {
    const { bytes } = attentionGraph({ role: 'decoder', layers: 2, merged: true, named: false });
    const model = decodeModel(bytes, 'decoder_model_merged');
    expect(findAttentionSites(indexGraph(model.graph!))).toEqual([]); // nothing at the top level
    expect(attentionLayers(model)).toEqual({
      encoder_self: [],
      decoder_self: [0, 1],
      cross: [0, 1],
    });
  });
});
