// Which values of an attention site a tap exposes, and how its probabilities are then obtained:
// - Softmax: its output, the probabilities themselves.
// - ai.onnx Attention (opset 23): its optional 4th output with qk_matmul_output_mode = 3, the probabilities after
//   softmax (https://onnx.ai/onnx/operators/onnx__Attention.html).
// - com.microsoft MultiHeadAttention: query, key, bias, key_padding_mask and attention_bias, recomputed after the run.
// - com.microsoft Attention: input × weights (+ bias) added to the graph as one packed QKV value, plus mask_index and
//   attention_bias, recomputed after the run.
// (https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md)
import { AttnError } from '../../errors/index.js';
import {
  floatAttribute,
  intAttribute,
  intsAttribute,
  setIntAttribute,
  type onnx,
} from '../onnx-graph/index.js';
import type { AttentionSite } from './find-attention-sites.js';
import type { RecomputeRecipe } from './recompute-attention.js';

/** What a tap output holds: probabilities, or an input of a fused operator to recompute them from. */
export type TapRole = 'probabilities' | 'query' | 'key' | 'qkv' | 'bias' | 'mask' | 'attentionBias';

/** One value a tap exposes, and the element type it is cast to on the way out. */
export interface TapValue {
  role: TapRole;
  value: string;
  type: 'float32' | 'int32';
}

/** The values a site exposes and, for fused operators, how to recompute the probabilities from them. */
export interface SiteTap {
  values: TapValue[];
  recipe: RecomputeRecipe | undefined;
}

const onnxruntimeMaskFilterValue = -10000;

/**
 * The values to expose for `site`, editing its graph where a value must first be made (internal to tapping).
 * `prefix` makes the names of added values unique.
 *
 * @throws {AttnError} UNSUPPORTED for fused-operator forms whose probabilities cannot be recovered (past key/value
 * inputs, rotary embeddings, an Attention-23 whose 4th output is already used for another mode).
 */
export function siteTapValues(site: AttentionSite, prefix: string): SiteTap {
  const { node } = site;
  const input = (index: number): string => node.input?.[index] ?? '';
  if (site.operator === 'Softmax') {
    return {
      values: [{ role: 'probabilities', value: node.output?.[0] ?? '', type: 'float32' }],
      recipe: undefined,
    };
  }
  if (site.operator === 'Attention23')
    return {
      values: [
        { role: 'probabilities', value: attention23Probabilities(node, prefix), type: 'float32' },
      ],
      recipe: undefined,
    };
  const shared = {
    numHeads: intAttribute(node, 'num_heads', 0),
    scale: floatAttribute(node, 'scale', 0) || undefined,
    causal: intAttribute(node, 'unidirectional', 0) === 1,
    maskFilterValue: floatAttribute(node, 'mask_filter_value', onnxruntimeMaskFilterValue),
  };
  if (site.operator === 'MultiHeadAttention') {
    if (input(6) !== '' || input(7) !== '')
      throw unsupported(
        site,
        'past_key / past_value inputs (a KV cache inside the fused operator)',
      );
    if (input(1) === '')
      throw unsupported(site, 'a packed query/key/value input (no separate key)');
    const values: TapValue[] = [
      { role: 'query', value: input(0), type: 'float32' },
      { role: 'key', value: input(1), type: 'float32' },
    ];
    if (input(3) !== '') values.push({ role: 'bias', value: input(3), type: 'float32' });
    if (input(4) !== '') values.push({ role: 'mask', value: input(4), type: 'int32' });
    if (input(5) !== '') values.push({ role: 'attentionBias', value: input(5), type: 'float32' });
    return { values, recipe: { operator: 'MultiHeadAttention', ...shared } };
  }
  if (input(4) !== '')
    throw unsupported(site, 'a past input (a KV cache inside the fused operator)');
  if (intAttribute(node, 'do_rotary', 0) !== 0)
    throw unsupported(site, 'rotary embeddings applied inside the operator (do_rotary = 1)');
  const values: TapValue[] = [
    { role: 'qkv', value: packedProjection(site, prefix), type: 'float32' },
  ];
  if (input(3) !== '') values.push({ role: 'mask', value: input(3), type: 'int32' });
  if (input(5) !== '') values.push({ role: 'attentionBias', value: input(5), type: 'float32' });
  return {
    values,
    recipe: {
      operator: 'Attention',
      ...shared,
      qkvHiddenSizes: intsAttribute(node, 'qkv_hidden_sizes'),
    },
  };
}

/** Asks an Attention-23 node for its post-softmax scores (mode 3) as a 4th output and returns that output's name. */
function attention23Probabilities(node: onnx.INodeProto, prefix: string): string {
  const outputs = [...(node.output ?? [])];
  const existing = outputs[3] ?? '';
  const mode = intAttribute(node, 'qk_matmul_output_mode', 0);
  if (existing !== '' && mode === 3) return existing;
  if (existing !== '') {
    throw new AttnError(
      'UNSUPPORTED',
      `tapModel(): Attention node '${node.name}' already outputs its scores in qk_matmul_output_mode ${mode}, not the probabilities (mode 3)`,
      {
        fix: 'tap a model exported without the qk_matmul_output output',
      },
    );
  }
  while (outputs.length < 3) outputs.push('');
  outputs[3] = `${prefix}/qk_matmul_output`;
  node.output = outputs;
  setIntAttribute(node, 'qk_matmul_output_mode', 3);
  return outputs[3];
}

/** Adds input × weights (+ bias) beside a com.microsoft Attention node: the packed Q|K|V it computes internally. */
function packedProjection(site: AttentionSite, prefix: string): string {
  const [input, weights, bias] = [0, 1, 2].map((index) => site.node.input?.[index] ?? '') as [
    string,
    string,
    string,
  ];
  const graph = site.scope.graph;
  const product = `${prefix}/qkv_MatMul`;
  const nodes: onnx.INodeProto[] = [
    { opType: 'MatMul', name: product, input: [input, weights], output: [product] },
  ];
  if (bias !== '')
    nodes.push({
      opType: 'Add',
      name: `${prefix}/qkv_Add`,
      input: [product, bias],
      output: [`${prefix}/qkv_Add`],
    });
  graph.node = [...(graph.node ?? []), ...nodes];
  return nodes.at(-1)?.output?.[0] as string;
}

function unsupported(site: AttentionSite, what: string): AttnError {
  return new AttnError(
    'UNSUPPORTED',
    `tapModel(): cannot tap ${site.kind} layer ${site.layer}: its com.microsoft ${site.operator} node '${site.node.name ?? ''}' uses ${what}`,
    {
      likelyCause:
        'the model was optimised for onnxruntime (fused attention); attn recomputes probabilities only for plain fused attention',
      fix: 'use the unoptimised Optimum export of the model, or tap other layers',
    },
  );
}
