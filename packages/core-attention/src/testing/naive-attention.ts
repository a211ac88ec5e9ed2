// Test-only float64 references for the attention tests, written as plain nested loops over multi-indices so they
// share no code with the kernels they check.
import { randomNormal, type Random } from './random.js';
import type { Tensor } from '../tensor/index.js';

/** A random float32 tensor of standard normals times `scale`. */
export function randomTensor(random: Random, dims: number[], scale = 1): Tensor<'float32'> {
  return {
    type: 'float32',
    data: randomNormal(
      random,
      dims.reduce((a, b) => a * b, 1),
      scale,
    ),
    dims,
  };
}

/** Softmax in float64: all -Infinity gives zeros, any NaN gives NaN. */
export function naiveSoftmax(row: number[]): number[] {
  if (row.some(Number.isNaN)) return row.map(() => NaN);
  if (row.every((x) => x === -Infinity)) return row.map(() => 0);
  const max = Math.max(...row);
  const exps = row.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** How a reference mask treats score (b, h, t, s): keep (true), drop (false) or add a bias (number). */
export type NaiveMask = (b: number, h: number, t: number, s: number) => boolean | number;

/**
 * softmax(q kᵀ · scale + mask) v in float64, for query [B,H,T,D], key [B,Hkv,S,D], value [B,Hkv,S,Dv];
 * query head h reads key/value head floor(h · Hkv / H).
 */
export function naiveAttention(
  query: Tensor<'float32'>,
  key: Tensor<'float32'>,
  value: Tensor<'float32'>,
  scale: number,
  mask?: NaiveMask,
): { output: number[]; weights: number[] } {
  const [B, H, T, D] = query.dims as number[] as [number, number, number, number];
  const [, Hkv, S] = key.dims as number[] as [number, number, number];
  const Dv = value.dims[3] as number;
  const at = (x: Tensor<'float32'>, i: number, j: number, k: number, l: number): number =>
    x.data[
      ((i * (x.dims[1] as number) + j) * (x.dims[2] as number) + k) * (x.dims[3] as number) + l
    ] as number;
  const output: number[] = [];
  const weights: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor((h * Hkv) / H);
      for (let t = 0; t < T; t++) {
        const scores: number[] = [];
        for (let s = 0; s < S; s++) {
          let score = 0;
          for (let d = 0; d < D; d++) score += at(query, b, h, t, d) * at(key, b, g, s, d);
          score *= scale;
          const m = mask?.(b, h, t, s) ?? true;
          scores.push(m === false ? -Infinity : m === true ? score : score + m);
        }
        const row = naiveSoftmax(scores);
        weights.push(...row);
        for (let e = 0; e < Dv; e++) {
          let sum = 0;
          for (let s = 0; s < S; s++) sum += (row[s] as number) * at(value, b, g, s, e);
          output.push(sum);
        }
      }
    }
  }
  return { output, weights };
}

/** x [rows, in] · w [in, out] + bias, in float64. */
export function naiveLinear(
  x: ArrayLike<number>,
  rows: number,
  w: Tensor<'float32'>,
  bias?: Tensor<'float32'>,
): number[] {
  const [inWidth, outWidth] = w.dims as [number, number];
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < outWidth; j++) {
      let sum = bias === undefined ? 0 : (bias.data[j] as number);
      for (let i = 0; i < inWidth; i++)
        sum += (x[r * inWidth + i] as number) * (w.data[i * outWidth + j] as number);
      y.push(sum);
    }
  }
  return y;
}
