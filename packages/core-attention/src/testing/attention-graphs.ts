// Tiny transformer attention stacks as ONNX models for runtime tests: unfused (MatMul, Softmax) with Hugging Face /
// Optimum node names or anonymous nodes, or fused (com.microsoft MultiHeadAttention / Attention, ai.onnx Attention-23),
// all with the same seeded weights so fused and unfused graphs compute the same function.
//
// E hidden size, H heads, D = E / H head size, B batch, T queries, S keys.
import type { onnx } from '../runtime/onnx-graph/index.js';
import { seededRandom, type Random, type Tensor, type TensorType } from '../tensor/index.js';
import { OnnxBuilder, type OnnxAttribute } from './onnx-builder.js';
import { randomNormal } from './random.js';

/** The fused operator a block uses instead of MatMul / Softmax / MatMul. */
export type FusedAttentionOp = 'MultiHeadAttention' | 'Attention' | 'Attention23';

/** Options of {@link attentionGraph}. */
export interface AttentionGraphOptions {
  /** Seed of every weight. Default 0. */
  seed?: number;
  /** Number of layers. Default 1. */
  layers?: number;
  /** E. Default 8. */
  hiddenSize?: number;
  /** H. Default 2. */
  numHeads?: number;
  /**
   * 'encoder': inputs hidden_states [B,T,E] and attention_mask [B,T]; one self-attention block per layer.
   * 'decoder': inputs hidden_states [B,T,E], encoder_hidden_states [B,S,E], encoder_attention_mask [B,S];
   * causal self-attention then cross-attention per layer. Default 'encoder'.
   */
  role?: 'encoder' | 'decoder';
  /** Name nodes and values as Optimum exports do (`/model/decoder/layers.0/encoder_attn/Softmax`). Default true. */
  named?: boolean;
  /** Use a fused operator instead of the unfused blocks. com.microsoft Attention cannot do cross-attention. */
  fused?: FusedAttentionOp;
  /** Decoder only: wrap the layers in If(use_cache_branch, bool [1]) with the same decoder in both branches. Default false. */
  merged?: boolean;
}

/** One attention block of the graph and, for unfused graphs, where its queries and keys are. */
export interface AttentionBlock {
  /** The tap name attn gives it, e.g. 'attn.cross.1'. */
  tap: string;
  /** Q [B,H,T,D] (unfused graphs only). */
  query: string | undefined;
  /** K [B,H,S,D] (unfused graphs only). */
  key: string | undefined;
  /** The int64 input whose zeros mask keys, if any. */
  padding: 'attention_mask' | 'encoder_attention_mask' | undefined;
  causal: boolean;
}

/** A built model and what tests need to recompute its attention. */
export interface AttentionGraph {
  bytes: Uint8Array;
  blocks: AttentionBlock[];
  numHeads: number;
  /** 1 / sqrt(D). */
  scale: number;
  /** Added to masked scores, as onnxruntime's fused kernels do by default. */
  maskValue: number;
}

const maskValue = -10000;

/**
 * Builds an attention stack.
 *
 * @example
 * ```ts
 * const { bytes, blocks } = attentionGraph({ role: 'decoder', layers: 2 });
 * blocks.map((block) => block.tap); // ['attn.decoder_self.0', 'attn.cross.0', 'attn.decoder_self.1', 'attn.cross.1']
 * await ort.InferenceSession.create(bytes); // inputs hidden_states, encoder_hidden_states, encoder_attention_mask
 * ```
 * @throws {Error} for com.microsoft Attention with role 'decoder' (it has no separate key input).
 */
export function attentionGraph(options: AttentionGraphOptions = {}): AttentionGraph {
  const {
    seed = 0,
    hiddenSize = 8,
    numHeads = 2,
    role = 'encoder',
    fused,
    merged = false,
  } = options;
  if (fused === 'Attention' && role === 'decoder')
    throw new Error('attentionGraph(): com.microsoft Attention has no cross-attention form');
  if (merged && role !== 'decoder')
    throw new Error("attentionGraph(): merged needs role 'decoder'");
  const builderOptions = {
    seed,
    opset: fused === 'Attention23' ? 23 : 17,
    domains: { 'com.microsoft': 1 },
  };
  const builder = new OnnxBuilder(builderOptions);
  builder.input('hidden_states', 'float32', ['batch_size', 'sequence_length', hiddenSize]);
  if (role === 'encoder')
    builder.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  else {
    builder.input('encoder_hidden_states', 'float32', [
      'batch_size',
      'encoder_sequence_length',
      hiddenSize,
    ]);
    builder.input('encoder_attention_mask', 'int64', ['batch_size', 'encoder_sequence_length']);
  }
  let blocks: AttentionBlock[] = [];
  if (merged) {
    // Optimum's merged decoder: If(use_cache_branch) over two copies of the decoder; here both copies are identical.
    builder.input('use_cache_branch', 'bool', [1]);
    const [then, otherwise] = ['then_branch', 'else_branch'].map((name) => {
      const body = new OnnxBuilder(builderOptions);
      body.graph.name = name;
      blocks = buildStack(body, options);
      body.output('last_hidden_state', 'float32');
      return { graph: body.graph };
    }) as [{ graph: onnx.GraphProto }, { graph: onnx.GraphProto }];
    builder.node('If', ['use_cache_branch'], {
      name: '/model/decoder/If',
      outputs: ['last_hidden_state'],
      attributes: { then_branch: then, else_branch: otherwise },
    });
  } else blocks = buildStack(builder, options);
  builder.output('last_hidden_state', 'float32', ['batch_size', 'sequence_length', hiddenSize]);
  return {
    bytes: builder.toBytes(),
    blocks,
    numHeads,
    scale: 1 / Math.sqrt(hiddenSize / numHeads),
    maskValue,
  };
}

/** Adds the layers to `builder`, reading the inputs by name, and ends with the value 'last_hidden_state'. */
function buildStack(builder: OnnxBuilder, options: AttentionGraphOptions): AttentionBlock[] {
  const {
    seed = 0,
    layers = 1,
    hiddenSize = 8,
    numHeads = 2,
    role = 'encoder',
    named = true,
    fused,
  } = options;
  const stack = new Stack(builder, seededRandom(seed), { hiddenSize, numHeads, named, fused });
  const blocks: AttentionBlock[] = [];
  let hidden = 'hidden_states';
  for (let layer = 0; layer < layers; layer++) {
    if (role === 'encoder') {
      const block = {
        tap: `attn.encoder_self.${layer}`,
        padding: 'attention_mask',
        causal: false,
      } as const;
      hidden = stack.block(
        `/model/encoder/layers.${layer}/self_attn/`,
        hidden,
        hidden,
        block,
        blocks,
      );
      continue;
    }
    const self = { tap: `attn.decoder_self.${layer}`, padding: undefined, causal: true } as const;
    hidden = stack.block(`/model/decoder/layers.${layer}/self_attn/`, hidden, hidden, self, blocks);
    const cross = {
      tap: `attn.cross.${layer}`,
      padding: 'encoder_attention_mask',
      causal: false,
    } as const;
    hidden = stack.block(
      `/model/decoder/layers.${layer}/encoder_attn/`,
      hidden,
      'encoder_hidden_states',
      cross,
      blocks,
    );
  }
  builder.node('Identity', [hidden], { outputs: ['last_hidden_state'] });
  return blocks;
}

interface StackShape {
  hiddenSize: number;
  numHeads: number;
  named: boolean;
  fused: FusedAttentionOp | undefined;
}

/** Writes blocks into the builder; weights come from one stream so every variant draws the same numbers. */
class Stack {
  private prefix = '';

  constructor(
    private readonly builder: OnnxBuilder,
    private readonly random: Random,
    private readonly shape: StackShape,
  ) {}

  /** Appends one attention block with residual: hidden + O(attention(Q(hidden), K(source), V(source))). */
  block(
    prefix: string,
    hidden: string,
    source: string,
    block: Omit<AttentionBlock, 'query' | 'key'>,
    blocks: AttentionBlock[],
  ): string {
    this.prefix = prefix;
    const { hiddenSize: E } = this.shape;
    const weights = ['q', 'k', 'v', 'o'].map(() => ({
      matrix: randomNormal(this.random, E * E, 0.3),
      bias: randomNormal(this.random, E, 0.1),
    }));
    const [wq, wk, wv, wo] = weights as [Projection, Projection, Projection, Projection];
    const found = { query: undefined as string | undefined, key: undefined as string | undefined };
    let attended: string;
    if (this.shape.fused === 'MultiHeadAttention')
      attended = this.multiHeadAttention(hidden, source, block, wq, wk, wv);
    else if (this.shape.fused === 'Attention')
      attended = this.packedAttention(hidden, block, wq, wk, wv);
    else if (this.shape.fused === 'Attention23')
      attended = this.attention23(hidden, source, block, wq, wk, wv);
    else attended = this.unfused(hidden, source, block, wq, wk, wv, found);
    const projected = this.linear(attended, wo, 'out_proj');
    blocks.push({ ...block, ...found });
    return this.op('Add', [hidden, projected], 'residual/Add');
  }

  private unfused(
    hidden: string,
    source: string,
    block: MaskSpec,
    wq: Projection,
    wk: Projection,
    wv: Projection,
    found: { query?: string; key?: string },
  ): string {
    const query = this.heads(this.linear(hidden, wq, 'q_proj'), 'q'); // [B,H,T,D]
    const key = this.heads(this.linear(source, wk, 'k_proj'), 'k'); // [B,H,S,D]
    const value = this.heads(this.linear(source, wv, 'v_proj'), 'v'); // [B,H,S,D]
    found.query = query;
    found.key = key;
    const keyTransposed = this.op('Transpose', [key], 'k/Transpose_1', { perm: [0, 1, 3, 2] }); // [B,H,D,S]
    let scores = this.op('MatMul', [query, keyTransposed], 'MatMul'); // [B,H,T,S]
    scores = this.op(
      'Mul',
      [scores, this.scalar('scale', 1 / Math.sqrt(this.shape.hiddenSize / this.shape.numHeads))],
      'Mul',
    );
    const mask = this.additiveMask(hidden, block);
    if (mask !== undefined) scores = this.op('Add', [scores, mask], 'mask/Add');
    const probabilities = this.op('Softmax', [scores], 'Softmax', { axis: -1 });
    const context = this.op('MatMul', [probabilities, value], 'MatMul_1'); // [B,H,T,D]
    const merged = this.op('Transpose', [context], 'Transpose', { perm: [0, 2, 1, 3] }); // [B,T,H,D]
    return this.op(
      'Reshape',
      [merged, this.int64('merge_shape', [0, 0, this.shape.hiddenSize])],
      'Reshape',
    ); // [B,T,E]
  }

  private multiHeadAttention(
    hidden: string,
    source: string,
    block: MaskSpec,
    wq: Projection,
    wk: Projection,
    wv: Projection,
  ): string {
    const query = this.op('MatMul', [hidden, this.matrix('q_proj', wq.matrix)], 'q_proj/MatMul');
    const key = this.op('MatMul', [source, this.matrix('k_proj', wk.matrix)], 'k_proj/MatMul');
    const value = this.op('MatMul', [source, this.matrix('v_proj', wv.matrix)], 'v_proj/MatMul');
    const bias = this.vector('qkv_bias', concat([wq.bias, wk.bias, wv.bias]));
    const inputs = [query, key, value, bias];
    if (block.padding !== undefined)
      inputs.push(this.op('Cast', [block.padding], 'mask/Cast', { to: 6 }));
    const attributes: Record<string, OnnxAttribute> = { num_heads: this.shape.numHeads };
    if (block.causal) attributes.unidirectional = 1;
    return this.op('MultiHeadAttention', inputs, 'MultiHeadAttention', attributes, 'com.microsoft');
  }

  private packedAttention(
    hidden: string,
    block: MaskSpec,
    wq: Projection,
    wk: Projection,
    wv: Projection,
  ): string {
    const { hiddenSize: E } = this.shape;
    const packed = new Float32Array(E * 3 * E); // [E, 3E]: each row is [Wq row | Wk row | Wv row]
    for (let row = 0; row < E; row++) {
      packed.set(wq.matrix.subarray(row * E, (row + 1) * E), row * 3 * E);
      packed.set(wk.matrix.subarray(row * E, (row + 1) * E), row * 3 * E + E);
      packed.set(wv.matrix.subarray(row * E, (row + 1) * E), row * 3 * E + 2 * E);
    }
    const inputs = [
      hidden,
      this.tensor('qkv_weight', 'float32', [E, 3 * E], packed),
      this.vector('qkv_bias', concat([wq.bias, wk.bias, wv.bias])),
    ];
    if (block.padding !== undefined)
      inputs.push(this.op('Cast', [block.padding], 'mask/Cast', { to: 6 }));
    const attributes: Record<string, OnnxAttribute> = { num_heads: this.shape.numHeads };
    if (block.causal) attributes.unidirectional = 1;
    return this.op('Attention', inputs, 'Attention', attributes, 'com.microsoft');
  }

  private attention23(
    hidden: string,
    source: string,
    block: MaskSpec,
    wq: Projection,
    wk: Projection,
    wv: Projection,
  ): string {
    const inputs = [
      this.linear(hidden, wq, 'q_proj'),
      this.linear(source, wk, 'k_proj'),
      this.linear(source, wv, 'v_proj'),
    ];
    // onnxruntime wants the mask's query axis spelled out: [B,1,1,S] -> [B,1,T,S]
    if (block.padding !== undefined)
      inputs.push(
        this.op(
          'Expand',
          [this.paddingMask(block.padding), this.queryShape(hidden)],
          'mask/Expand',
        ),
      );
    const { numHeads } = this.shape;
    const attributes: Record<string, OnnxAttribute> = {
      q_num_heads: numHeads,
      kv_num_heads: numHeads,
    };
    if (block.causal) attributes.is_causal = 1;
    return this.op('Attention', inputs, 'Attention', attributes);
  }

  /** The additive mask the unfused block adds to its scores: padding [B,1,1,S] and/or causal [T,T]. */
  private additiveMask(hidden: string, block: MaskSpec): string | undefined {
    if (block.padding !== undefined) return this.paddingMask(block.padding);
    if (!block.causal) return undefined;
    const shape = this.op('Shape', [hidden], 'causal/Shape');
    const length = this.op('Gather', [shape, this.int64('one', [1], [])], 'causal/Gather', {
      axis: 0,
    }); // T, a scalar
    const length1 = this.op('Unsqueeze', [length, this.int64('axis0', [0])], 'causal/Unsqueeze'); // [1]
    const square = this.op('Concat', [length1, length1], 'causal/Concat', { axis: 0 }); // [T, T] as a shape
    const ones = this.op('ConstantOfShape', [square], 'causal/ConstantOfShape', {
      value: { tensor: { type: 'float32', data: new Float32Array([1]), dims: [1] } },
    });
    const future = this.op('Trilu', [ones, this.int64('diagonal', [1], [])], 'causal/Trilu', {
      upper: 1,
    }); // 1 above the diagonal
    return this.op('Mul', [future, this.scalar('mask_value', maskValue)], 'causal/Mul'); // [T,T]
  }

  /** [1,1,T,1] as a shape tensor. */
  private queryShape(hidden: string): string {
    const shape = this.op('Shape', [hidden], 'query/Shape');
    const length = this.op('Gather', [shape, this.int64('one', [1])], 'query/Gather', { axis: 0 }); // [1] holding T
    return this.op(
      'Concat',
      [this.int64('ones2', [1, 1]), length, this.int64('ones1', [1])],
      'query/Concat',
      { axis: 0 },
    );
  }

  /** (1 - mask) · maskValue as [B,1,1,S]. */
  private paddingMask(padding: string): string {
    const keep = this.op('Cast', [padding], 'mask/Cast', { to: 1 });
    const masked = this.op('Sub', [this.scalar('one_float', 1), keep], 'mask/Sub');
    const additive = this.op('Mul', [masked, this.scalar('mask_value', maskValue)], 'mask/Mul'); // [B,S]
    return this.op('Unsqueeze', [additive, this.int64('axes12', [1, 2])], 'mask/Unsqueeze'); // [B,1,1,S]
  }

  private linear(input: string, projection: Projection, name: string): string {
    const product = this.op(
      'MatMul',
      [input, this.matrix(name, projection.matrix)],
      `${name}/MatMul`,
    );
    return this.op('Add', [product, this.vector(`${name}.bias`, projection.bias)], `${name}/Add`);
  }

  /** [B,T,E] -> [B,H,T,D] */
  private heads(input: string, name: string): string {
    const { hiddenSize: E, numHeads: H } = this.shape;
    const split = this.op(
      'Reshape',
      [input, this.int64('split_shape', [0, 0, H, E / H])],
      `${name}/Reshape`,
    ); // [B,T,H,D]
    return this.op('Transpose', [split], `${name}/Transpose`, { perm: [0, 2, 1, 3] }); // [B,H,T,D]
  }

  private op(
    opType: string,
    inputs: string[],
    local: string,
    attributes: Record<string, OnnxAttribute> = {},
    domain = '',
  ): string {
    if (!this.shape.named)
      return this.builder.node(opType, inputs, { attributes, domain })[0] as string;
    const name = `${this.prefix}${local}`;
    return this.builder.node(opType, inputs, {
      name,
      attributes,
      domain,
      outputs: [`${name}_output_0`],
    })[0] as string;
  }

  private matrix(name: string, data: Float32Array): string {
    return this.tensor(
      `${name}.weight`,
      'float32',
      [this.shape.hiddenSize, this.shape.hiddenSize],
      data,
    );
  }

  private vector(name: string, data: Float32Array): string {
    return this.tensor(name, 'float32', [data.length], data);
  }

  private scalar(name: string, value: number): string {
    return this.tensor(name, 'float32', [], new Float32Array([value]));
  }

  private int64(name: string, values: number[], dims: number[] = [values.length]): string {
    return this.tensor(name, 'int64', dims, BigInt64Array.from(values, BigInt));
  }

  private tensor(
    name: string,
    type: TensorType,
    dims: number[],
    data: Float32Array | BigInt64Array,
  ): string {
    const index = this.builder.graph.initializer.length;
    const unique = this.shape.named ? `${this.prefix}${name}#${index}` : `initializer_${index}`;
    return this.builder.constant(unique, { type, dims, data } as Tensor);
  }
}

interface Projection {
  matrix: Float32Array;
  bias: Float32Array;
}

type MaskSpec = Pick<AttentionBlock, 'padding' | 'causal'>;

function concat(parts: Float32Array[]): Float32Array {
  const result = new Float32Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

/** Options of {@link attentionGraphInputs}. */
export interface AttentionInputsOptions {
  /** Seed of the hidden states. Default 1. */
  seed?: number;
  /** B. Default 2. */
  batch?: number;
  /** T. Default 3. */
  queries?: number;
  /** S, the encoder length of a decoder. Default 4. */
  keys?: number;
  /** E. Default 8. */
  hiddenSize?: number;
  /** Value of use_cache_branch, for merged graphs; undefined leaves the input out. */
  useCacheBranch?: boolean;
}

/**
 * Inputs for {@link attentionGraph}: seeded hidden states, and masks in which batch row b hides its last b positions.
 *
 * @example
 * ```ts
 * const feeds = attentionGraphInputs('decoder', { batch: 2, queries: 3, keys: 4 });
 * feeds.encoder_attention_mask?.data; // BigInt64Array [1n, 1n, 1n, 1n, 1n, 1n, 1n, 0n]
 * ```
 */
export function attentionGraphInputs(
  role: 'encoder' | 'decoder',
  options: AttentionInputsOptions = {},
): Record<string, Tensor> {
  const { seed = 1, batch = 2, queries = 3, keys = 4, hiddenSize = 8, useCacheBranch } = options;
  const random = seededRandom(seed);
  const mask = (length: number): Tensor<'int64'> => {
    const data = new BigInt64Array(batch * length);
    for (let b = 0; b < batch; b++)
      for (let s = 0; s < length; s++) data[b * length + s] = s < length - b ? 1n : 0n;
    return { type: 'int64', data, dims: [batch, length] };
  };
  const hidden = (length: number): Tensor<'float32'> => ({
    type: 'float32',
    data: randomNormal(random, batch * length * hiddenSize),
    dims: [batch, length, hiddenSize],
  });
  const feeds: Record<string, Tensor> =
    role === 'encoder'
      ? { hidden_states: hidden(queries), attention_mask: mask(queries) }
      : {
          hidden_states: hidden(queries),
          encoder_hidden_states: hidden(keys),
          encoder_attention_mask: mask(keys),
        };
  if (useCacheBranch !== undefined)
    feeds.use_cache_branch = {
      type: 'bool',
      data: new Uint8Array([useCacheBranch ? 1 : 0]),
      dims: [1],
    };
  return feeds;
}
