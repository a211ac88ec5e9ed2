// Finds the attention probabilities of one graph scope: each Softmax whose output (through Cast, Dropout, Reshape,
// Where, …) is the left operand of the MatMul with the values, and each fused attention operator. Kind and layer come
// from Optimum-style node names when they have them, otherwise from structure: a block whose keys derive from the
// encoder's output is cross-attention, and layers are numbered in order of appearance.
import type { GraphIndex, onnx } from '../onnx-graph/index.js';
import type { AttentionKind } from './attention-kind.js';
import { classifyAttentionName } from './classify-attention-name.js';

/** The operators whose output attention probabilities are read from or recomputed. */
export type AttentionOperator = 'Softmax' | 'MultiHeadAttention' | 'Attention' | 'Attention23';

/** One attention block found in a graph scope. */
export interface AttentionSite {
  kind: AttentionKind;
  layer: number;
  operator: AttentionOperator;
  node: onnx.INodeProto;
  /** The graph (or subgraph) that holds the node. */
  scope: GraphIndex;
}

/** Options of {@link findAttentionSites}. */
export interface FindAttentionOptions {
  /**
   * The kind of a self-attention whose name does not say encoder or decoder. Default: 'decoder_self' when the
   * model has encoder_hidden_states, past_key_values.* inputs or present.* outputs, else 'encoder_self'.
   */
  selfAttention?: 'encoder_self' | 'decoder_self';
}

const passThrough = new Set([
  'Cast',
  'Dropout',
  'Reshape',
  'Where',
  'Identity',
  'Squeeze',
  'Unsqueeze',
  'Mul',
]);
const scoreOps = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Where',
  'Cast',
  'Reshape',
  'Identity',
  'Squeeze',
  'Unsqueeze',
  'Tanh',
  'Expand',
]);
const encoderInput =
  /^(?:encoder_hidden_states|encoder_outputs?|past_key_values\.\d+\.encoder\.(?:key|value))$/;

/**
 * The attention sites of one graph scope, in graph order (subgraphs are searched separately, by the caller).
 *
 * @example
 * ```ts
 * const sites = findAttentionSites(indexGraph(model.graph!));
 * sites.map(({ kind, layer }) => `${kind}.${layer}`); // ['decoder_self.0', 'cross.0', 'decoder_self.1', 'cross.1']
 * ```
 */
export function findAttentionSites(
  scope: GraphIndex,
  options: FindAttentionOptions = {},
): AttentionSite[] {
  const found = scope.nodes.flatMap((node) => {
    const operator = attentionOperator(scope, node);
    return operator === undefined
      ? []
      : [{ node, operator, named: classifyAttentionName(node.name || (node.output?.[0] ?? '')) }];
  });
  const barriers = new Set(
    found.flatMap(({ node, operator }) => attentionOutputs(scope, node, operator)),
  );
  const selfKind =
    options.selfAttention ?? (looksLikeDecoder(scope) ? 'decoder_self' : 'encoder_self');
  const kinds = found.map(({ node, operator, named }): AttentionKind => {
    if (named.kind !== undefined && named.kind !== 'self') return named.kind;
    const key = keyInput(scope, node, operator);
    if (key !== undefined && derivesFromEncoder(scope, key, barriers)) return 'cross';
    return selfKind;
  });
  const namedLayers = found.map(({ named }, index) =>
    named.layer === undefined ? undefined : `${kinds[index]}.${named.layer}`,
  );
  const useNames =
    namedLayers.every((key) => key !== undefined) &&
    new Set(namedLayers).size === namedLayers.length;
  const counters = new Map<AttentionKind, number>();
  return found.map(({ node, operator, named }, index) => {
    const kind = kinds[index] as AttentionKind;
    const ordinal = counters.get(kind) ?? 0;
    counters.set(kind, ordinal + 1);
    return { kind, layer: useNames ? (named.layer as number) : ordinal, operator, node, scope };
  });
}

function attentionOperator(
  scope: GraphIndex,
  node: onnx.INodeProto,
): AttentionOperator | undefined {
  const domain = node.domain ?? '';
  if (
    domain === 'com.microsoft' &&
    (node.opType === 'MultiHeadAttention' || node.opType === 'Attention')
  )
    return node.opType;
  if ((domain === '' || domain === 'ai.onnx') && node.opType === 'Attention') return 'Attention23';
  if (
    (domain === '' || domain === 'ai.onnx') &&
    node.opType === 'Softmax' &&
    valueMatMul(scope, node.output?.[0] ?? '') !== undefined
  )
    return 'Softmax';
  return undefined;
}

/** The MatMul (or Einsum) that multiplies `probabilities` with the values, a few pass-through ops away. */
function valueMatMul(
  scope: GraphIndex,
  probabilities: string,
  depth = 0,
): onnx.INodeProto | undefined {
  if (depth > 4) return undefined;
  for (const consumer of scope.consumers(probabilities)) {
    if (consumer.opType === 'MatMul' && consumer.input?.[0] === probabilities) return consumer;
    if (consumer.opType === 'Einsum') return consumer;
    if (passThrough.has(consumer.opType ?? '')) {
      const found = valueMatMul(scope, consumer.output?.[0] ?? '', depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Values that carry an attention block's result: the value MatMul's or the fused node's outputs. */
function attentionOutputs(
  scope: GraphIndex,
  node: onnx.INodeProto,
  operator: AttentionOperator,
): string[] {
  if (operator !== 'Softmax') return (node.output ?? []).filter((output) => output !== '');
  return valueMatMul(scope, node.output?.[0] ?? '')?.output ?? [];
}

/** The value on the key side: Kᵀ of the scores MatMul for a Softmax, the key input of a fused node. */
function keyInput(
  scope: GraphIndex,
  node: onnx.INodeProto,
  operator: AttentionOperator,
): string | undefined {
  if (operator === 'MultiHeadAttention' || operator === 'Attention23')
    return node.input?.[1] || undefined;
  if (operator === 'Attention') return undefined; // packed self-attention: no separate keys
  // Breadth-first up through the score ops (scale, mask, softcap) to the nearest MatMul: Q Kᵀ.
  let frontier = [node.input?.[0] ?? ''];
  for (let depth = 0; depth < 8 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const value of frontier) {
      const producer = scope.producer(value);
      if (producer === undefined) continue;
      if (producer.opType === 'MatMul' || producer.opType === 'Einsum') return producer.input?.[1];
      if (scoreOps.has(producer.opType ?? ''))
        next.push(...(producer.input ?? []).filter((input) => input !== ''));
    }
    frontier = next;
  }
  return undefined;
}

/** True when `value` is computed from the encoder's output without passing through another attention block. */
function derivesFromEncoder(
  scope: GraphIndex,
  value: string,
  barriers: ReadonlySet<string>,
): boolean {
  const seen = new Set<string>();
  const pending = [value];
  while (pending.length > 0 && seen.size < 20_000) {
    const current = pending.pop() as string;
    if (current === '' || seen.has(current) || barriers.has(current)) continue;
    seen.add(current);
    if (scope.isGraphInput(current)) {
      if (encoderInput.test(current)) return true;
      continue;
    }
    const producer = scope.producer(current);
    if (producer === undefined) continue;
    if ((producer.output ?? []).some((output) => barriers.has(output))) continue;
    pending.push(...(producer.input ?? []));
  }
  return false;
}

function looksLikeDecoder(scope: GraphIndex): boolean {
  let root = scope;
  while (root.parent !== undefined) root = root.parent;
  const inputs = (root.graph.input ?? []).map((input) => input.name ?? '');
  const outputs = (root.graph.output ?? []).map((output) => output.name ?? '');
  return (
    inputs.some((name) => name === 'encoder_hidden_states' || name.startsWith('past_key_values')) ||
    outputs.some((name) => name.startsWith('present'))
  );
}
