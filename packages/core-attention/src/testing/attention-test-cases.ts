// Test-only: random attention problems (shapes, grouped heads, broadcast masks) shared by the scaled dot-product
// and streaming attention tests, each with its float64 reference answer.
import type { Tensor } from '../tensor/index.js';
import { randomInt, type Random } from './random.js';
import type { AttentionMask } from '../attention/attention-mask.js';
import { naiveAttention, randomTensor, type NaiveMask } from './naive-attention.js';

export interface AttentionCase {
  query: Tensor<'float32'>;
  key: Tensor<'float32'>;
  value: Tensor<'float32'>;
  mask: AttentionMask | undefined;
  scale: number | undefined;
  expected: { output: number[]; weights: number[] };
}

/** A random problem: B <= 2, H <= 4 with Hkv a random divisor, T <= 5, S <= 9, D <= 9, Dv <= 6, mask of random kind and shape. */
export function randomAttentionCase(random: Random): AttentionCase {
  const [B, T, S, D, Dv] = [
    randomInt(random, 1, 3),
    randomInt(random, 1, 6),
    randomInt(random, 1, 10),
    randomInt(random, 1, 10),
    randomInt(random, 1, 7),
  ];
  const H = randomInt(random, 1, 5);
  const divisors = [1, 2, 3, 4].filter((n) => H % n === 0);
  const Hkv = divisors[randomInt(random, 0, divisors.length)] as number;
  const query = randomTensor(random, [B, H, T, D]);
  const key = randomTensor(random, [B, Hkv, S, D]);
  const value = randomTensor(random, [B, Hkv, S, Dv]);
  const scale = random() < 0.5 ? undefined : 0.1 + random();
  const mask = randomMask(random, [B, H, T, S]);
  const naiveMask: NaiveMask | undefined = mask && ((b, h, t, s) => maskValue(mask, [b, h, t, s]));
  return {
    query,
    key,
    value,
    mask,
    scale,
    expected: naiveAttention(query, key, value, scale ?? 1 / Math.sqrt(D), naiveMask),
  };
}

/** None, a bool keep mask or a float32 additive mask, of a random shape broadcastable to `target`. */
function randomMask(random: Random, target: number[]): AttentionMask | undefined {
  const kind = randomInt(random, 0, 3);
  if (kind === 0) return undefined;
  const rank = randomInt(random, 1, 5);
  const dims = target.slice(4 - rank).map((dim) => (random() < 0.5 ? 1 : dim));
  const size = dims.reduce((a, b) => a * b, 1);
  if (kind === 1)
    return {
      type: 'bool',
      data: Uint8Array.from({ length: size }, () => (random() < 0.7 ? 1 : 0)),
      dims,
    };
  return {
    type: 'float32',
    data: Float32Array.from({ length: size }, () =>
      random() < 0.2 ? -Infinity : 3 * random() - 1.5,
    ),
    dims,
  };
}

/** The mask's entry for score index [b,h,t,s], reading its dims right-aligned with size-1 axes repeated. */
function maskValue(mask: AttentionMask, index: number[]): boolean | number {
  const dims = mask.dims;
  let flat = 0;
  for (let axis = 0; axis < dims.length; axis++) {
    const dim = dims[axis] as number;
    const i = dim === 1 ? 0 : (index[4 - dims.length + axis] as number);
    flat = flat * dim + i;
  }
  const x = mask.data[flat] as number;
  return mask.type === 'float32' ? x : x !== 0;
}
