// Sinusoidal position encodings (Vaswani et al. 2017 §3.5, https://arxiv.org/abs/1706.03762):
// PE[p, 2i] = sin(p · ω_i), PE[p, 2i+1] = cos(p · ω_i), ω_i = base^(-2i/d).
import { describeValue, invalidArgument } from '../errors/index.js';
import type { Tensor } from '../tensor/index.js';
import { expectInteger } from './validation.js';

/** Options of {@link sinusoidalPositions}. */
export interface SinusoidalPositionsOptions {
  /** Default 10000. */
  base?: number;
  /** First position, for encoding positions offset .. offset + length - 1. Default 0. */
  offset?: number;
  /**
   * 'interleaved' (default): sin and cos alternate, as in the paper. 'concatenated': all sines then all cosines, with the
   * same frequencies (Hugging Face Marian's MarianSinusoidalPositionalEmbedding).
   */
  layout?: 'interleaved' | 'concatenated';
}

/**
 * The table of sinusoidal encodings [length, dim] for positions offset .. offset + length - 1.
 *
 * @example
 * ```ts
 * const table = sinusoidalPositions(2, 4);
 * table.data; // position 0: [0, 1, 0, 1]; position 1: [sin 1, cos 1, sin 0.01, cos 0.01] = [0.8415, 0.5403, 0.0100, 0.99995]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `length` is not a positive integer, `dim` not a positive even integer,
 * `offset` not a non-negative integer, `base` not finite and > 1, or `layout` unknown.
 */
export function sinusoidalPositions(
  length: number,
  dim: number,
  options: SinusoidalPositionsOptions = {},
): Tensor<'float32'> {
  const fn = 'sinusoidalPositions';
  expectInteger(fn, 'length', length, 1);
  if (expectInteger(fn, 'dim', dim, 2) % 2 !== 0)
    throw invalidArgument(fn, 'dim', 'an even integer', describeValue(dim));
  const offset = expectInteger(fn, 'options.offset', options.offset ?? 0, 0);
  const base = options.base ?? 10000;
  if (typeof base !== 'number' || !Number.isFinite(base) || base <= 1)
    throw invalidArgument(fn, 'options.base', 'a finite number > 1', describeValue(base));
  const layout = options.layout ?? 'interleaved';
  if (layout !== 'interleaved' && layout !== 'concatenated') {
    throw invalidArgument(
      fn,
      'options.layout',
      "'interleaved' or 'concatenated'",
      describeValue(layout),
    );
  }
  const half = dim / 2;
  const data = new Float32Array(length * dim);
  for (let p = 0; p < length; p++) {
    const position = offset + p;
    for (let i = 0; i < half; i++) {
      const angle = position * Math.pow(base, (-2 * i) / dim);
      const [sinIndex, cosIndex] = layout === 'interleaved' ? [2 * i, 2 * i + 1] : [i, half + i];
      data[p * dim + sinIndex] = Math.sin(angle);
      data[p * dim + cosIndex] = Math.cos(angle);
    }
  }
  return { type: 'float32', data, dims: [length, dim] };
}
