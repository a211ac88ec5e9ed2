// Attention probabilities of a fused onnxruntime operator (com.microsoft MultiHeadAttention / Attention), recomputed
// from its tapped inputs with core-attention's scaled dot-product kernel, masked the way onnxruntime masks:
// masked scores become mask_filter_value (default -10000), then attention_bias is added.
// (https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md)
//
// B batch, H heads, T queries, S keys, D head size, W = H·D a projection width.
// query [B,T,Wq]  key [B,S,Wk] or [B,H,S,D]  qkv [B,T,Wq+Wk+Wv]  bias [Wq+Wk+Wv]
// mask (int32): [B] key lengths, [B,S] or [B,T,S] with 0 = masked  attentionBias [B|1,H|1,T,S]  → weights [B,H,T,S]
import { scaledDotProductAttention } from '../../attention/index.js';
import { AttnError, describeValue } from '../../errors/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { TapRole } from './site-tap-values.js';

/** How to recompute the probabilities of one fused node: its operator and attributes. */
export interface RecomputeRecipe {
  operator: 'MultiHeadAttention' | 'Attention';
  numHeads: number;
  /** The node's `scale`; undefined means 1/sqrt(D). */
  scale: number | undefined;
  /** The node's `unidirectional`. */
  causal: boolean;
  maskFilterValue: number;
  /** com.microsoft Attention's `qkv_hidden_sizes`; undefined means three equal parts. */
  qkvHiddenSizes?: number[] | undefined;
}

/**
 * softmax(Q Kᵀ · scale + mask) for one fused node, from the tensors its tap exposed.
 *
 * @example
 * ```ts
 * // One head, one query, two keys; the query's dot products are 0 and ln 3, so the weights are 1/4 and 3/4.
 * const query = createTensor('float32', [1, 1, 1], new Float32Array([1]));
 * const key = createTensor('float32', [1, 2, 1], new Float32Array([0, Math.log(3)]));
 * const recipe = { operator: 'MultiHeadAttention', numHeads: 1, scale: 1, causal: false, maskFilterValue: -10000 } as const;
 * recomputeAttention(recipe, { query, key }).data; // Float32Array [0.25, 0.75]
 * ```
 * @throws {AttnError} UNSUPPORTED for input layouts other than those above (packed 5-D inputs, 4-D masks);
 * SHAPE_MISMATCH when the tapped tensors disagree with each other or with num_heads.
 */
export function recomputeAttention(
  recipe: RecomputeRecipe,
  inputs: Partial<Record<TapRole, Tensor>>,
): Tensor<'float32'> {
  const { query, key } =
    recipe.operator === 'Attention'
      ? splitPacked(recipe, need(inputs, 'qkv'))
      : splitSeparate(recipe, inputs);
  const [B, H, T] = query.dims as [number, number, number, number];
  const S = key.dims[2] as number;
  const mask = additiveMask(recipe, inputs, B, H, T, S);
  const value: Tensor<'float32'> = {
    type: 'float32',
    data: new Float32Array(B * H * S),
    dims: [B, H, S, 1],
  }; // unused: only the weights are wanted
  const { weights } = scaledDotProductAttention(query, key, value, {
    scale: recipe.scale,
    ...(mask === undefined ? {} : { mask }),
  });
  return weights as Tensor<'float32'>;
}

/** MultiHeadAttention: query [B,T,Wq] and key [B,S,Wk] or [B,H,S,D], with the bias's first two parts added. */
function splitSeparate(
  recipe: RecomputeRecipe,
  inputs: Partial<Record<TapRole, Tensor>>,
): { query: Tensor<'float32'>; key: Tensor<'float32'> } {
  const query = need(inputs, 'query');
  const key = need(inputs, 'key');
  const bias = inputs.bias?.data as Float32Array | undefined;
  if (query.dims.length !== 3)
    throw unsupportedLayout(
      'query',
      query,
      '[B,T,W] (packed [B,T,H,3,D] queries are not supported)',
    );
  const [B, T, Wq] = query.dims as [number, number, number];
  const headsQuery = splitHeads(
    query.data as Float32Array,
    B,
    T,
    Wq,
    0,
    Wq,
    recipe.numHeads,
    bias,
    0,
  );
  if (key.dims.length === 4) {
    if (bias !== undefined) throw unsupportedLayout('key', key, '[B,S,W] when a bias is given');
    return { query: headsQuery, key: key as Tensor<'float32'> };
  }
  if (key.dims.length !== 3)
    throw unsupportedLayout(
      'key',
      key,
      '[B,S,W] or [B,H,S,D] (packed [B,S,H,2,D] keys are not supported)',
    );
  const [, S, Wk] = key.dims as [number, number, number];
  return {
    query: headsQuery,
    key: splitHeads(key.data as Float32Array, B, S, Wk, 0, Wk, recipe.numHeads, bias, Wq),
  };
}

/** Attention: Q and K are the first two parts of the packed projection [B,T,Wq+Wk+Wv]. */
function splitPacked(
  recipe: RecomputeRecipe,
  qkv: Tensor,
): { query: Tensor<'float32'>; key: Tensor<'float32'> } {
  if (qkv.dims.length !== 3) throw unsupportedLayout('qkv', qkv, '[B,T,Wq+Wk+Wv]');
  const [B, T, W] = qkv.dims as [number, number, number];
  const [Wq, Wk] = recipe.qkvHiddenSizes ?? [W / 3, W / 3];
  const data = qkv.data as Float32Array;
  return {
    query: splitHeads(data, B, T, W, 0, Wq as number, recipe.numHeads, undefined, 0),
    key: splitHeads(data, B, T, W, Wq as number, Wk as number, recipe.numHeads, undefined, 0),
  };
}

/** Columns [start, start+width) of rows [B,L,rowWidth], plus bias[biasStart..], as heads [B,H,L,width/H]. */
function splitHeads(
  source: Float32Array,
  B: number,
  L: number,
  rowWidth: number,
  start: number,
  width: number,
  H: number,
  bias: Float32Array | undefined,
  biasStart: number,
): Tensor<'float32'> {
  const D = width / H;
  if (!Number.isInteger(D) || D < 1) {
    throw new AttnError(
      'SHAPE_MISMATCH',
      `recomputeAttention(): a projection of width ${width} does not split into num_heads = ${H} heads`,
    );
  }
  const heads = new Float32Array(B * H * L * D);
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < L; l++) {
      const row = (b * L + l) * rowWidth + start;
      for (let h = 0; h < H; h++) {
        const target = ((b * H + h) * L + l) * D;
        for (let d = 0; d < D; d++) {
          heads[target + d] =
            (source[row + h * D + d] as number) +
            (bias === undefined ? 0 : (bias[biasStart + h * D + d] as number));
        }
      }
    }
  }
  return { type: 'float32', data: heads, dims: [B, H, L, D] };
}

/** mask_filter_value where the key mask or causality hides a key, plus attention_bias: [B,H|1,T,S]. */
function additiveMask(
  recipe: RecomputeRecipe,
  inputs: Partial<Record<TapRole, Tensor>>,
  B: number,
  H: number,
  T: number,
  S: number,
): Tensor<'float32'> | undefined {
  const keyMask = inputs.mask;
  const bias = inputs.attentionBias;
  if (keyMask === undefined && bias === undefined && !recipe.causal) return undefined;
  const Hm = bias === undefined ? 1 : H;
  const mask = new Float32Array(B * Hm * T * S);
  const hidden = keyMask === undefined ? undefined : maskReader(keyMask, B, T, S);
  const biasStrides = bias === undefined ? undefined : biasReader(bias, B, H, T, S);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < Hm; h++) {
      for (let t = 0; t < T; t++) {
        const row = ((b * Hm + h) * T + t) * S;
        for (let s = 0; s < S; s++) {
          // with a cache, query t sits at position S - T + t
          const masked =
            (hidden !== undefined && hidden(b, t, s)) || (recipe.causal && s > S - T + t);
          let score = masked ? recipe.maskFilterValue : 0;
          if (biasStrides !== undefined)
            score += bias?.data[
              b * biasStrides[0] + h * biasStrides[1] + t * biasStrides[2] + s
            ] as number;
          mask[row + s] = score;
        }
      }
    }
  }
  return { type: 'float32', data: mask, dims: [B, Hm, T, S] };
}

/** A predicate "is key s hidden from query t of batch row b" for the supported mask layouts. */
function maskReader(
  mask: Tensor,
  B: number,
  T: number,
  S: number,
): (b: number, t: number, s: number) => boolean {
  const data = mask.data as Int32Array;
  const dims = mask.dims;
  if (dims.length === 1 && dims[0] === B) return (b, _t, s) => s >= (data[b] as number);
  if (dims.length === 2 && dims[0] === B && dims[1] === S)
    return (b, _t, s) => data[b * S + s] === 0;
  if (dims.length === 3 && dims[0] === B && dims[1] === T && dims[2] === S)
    return (b, t, s) => data[(b * T + t) * S + s] === 0;
  throw unsupportedLayout(
    'mask',
    mask,
    `[B] key lengths, [B,S] or [B,T,S] (here B = ${B}, T = ${T}, S = ${S})`,
  );
}

/** Strides of attention_bias [B|1,H|1,T,S] along B, H, T (0 where broadcast). */
function biasReader(
  bias: Tensor,
  B: number,
  H: number,
  T: number,
  S: number,
): [number, number, number] {
  const [biasB, biasH, biasT, biasS] = bias.dims as [number, number, number, number];
  if (
    bias.dims.length !== 4 ||
    (biasB !== 1 && biasB !== B) ||
    (biasH !== 1 && biasH !== H) ||
    biasT !== T ||
    biasS !== S
  ) {
    throw unsupportedLayout('attentionBias', bias, `[${B}|1,${H}|1,${T},${S}]`);
  }
  return [biasB === 1 ? 0 : biasH * T * S, biasH === 1 ? 0 : T * S, S];
}

function need(inputs: Partial<Record<TapRole, Tensor>>, role: TapRole): Tensor {
  const tensor = inputs[role];
  if (tensor === undefined)
    throw new AttnError(
      'INVALID_ARGUMENT',
      `recomputeAttention(): the tapped ${role} tensor is missing from the run's outputs`,
    );
  return tensor;
}

function unsupportedLayout(role: string, tensor: Tensor, expected: string): AttnError {
  return new AttnError(
    'UNSUPPORTED',
    `recomputeAttention(): the fused operator's ${role} must be ${expected}, got dims ${describeValue([...tensor.dims])}`,
    {
      fix: 'use the unoptimised Optimum export of the model',
    },
  );
}
