// Rotary position embedding, RoPE (Su et al. 2021, RoFormer, https://arxiv.org/abs/2104.09864): each pair of
// features (x1, x2) is rotated by p · θ_i, θ_i = base^(-2i/r), so q · k depends only on the positions' difference.
//
// x [B,H,T,D] (queries or keys); r = rotaryDim <= D features rotate, the rest pass through (GPT-NeoX's rotary_pct).
// Pairs: 'half-split' (i, i + r/2), as GPT-NeoX and Hugging Face Llama's rotate_half; 'interleaved' (2i, 2i+1),
// as the RoFormer paper, GPT-J and Meta's original Llama code. Angles are computed in float64.
import { describeValue, invalidArgument } from '../errors/index.js';
import type { Tensor } from '../tensor/index.js';
import { expectFloat32, expectInteger, outputBuffer } from './validation.js';

/** Options of {@link applyRotaryPositions}. */
export interface RotaryPositionsOptions {
  /** Which features pair up. Default 'half-split' (Hugging Face Llama, GPT-NeoX). */
  layout?: 'half-split' | 'interleaved';
  /** Default 10000. */
  base?: number;
  /** Features that rotate, even and <= D. Default D. */
  rotaryDim?: number;
  /** Position of each query: T values shared by all rows, or B·T (row-major [B,T], e.g. after left padding). Default 0..T-1. */
  positions?: ArrayLike<number>;
  /** Caller-owned buffer for the result (may be `x.data` for an in-place rotation). */
  output?: Float32Array;
}

/**
 * Rotates x [B,H,T,D] by its positions and returns the rotated copy (or writes `options.output`).
 *
 * @example
 * ```ts
 * // D = 2, base irrelevant (θ_0 = 1): position 1 rotates [1, 0] by 1 radian.
 * const x = createTensor('float32', [1, 1, 2, 2], new Float32Array([1, 0, 1, 0]));
 * applyRotaryPositions(x).data; // [1, 0, cos 1, sin 1] = [1, 0, 0.5403, 0.8415]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a non-float32, empty or non-rank-4 `x`, a rotaryDim that is odd or > D,
 * positions of the wrong length or not finite, a base not finite and > 0, an unknown layout, or a bad output buffer.
 */
export function applyRotaryPositions(
  x: Tensor<'float32'>,
  options: RotaryPositionsOptions = {},
): Tensor<'float32'> {
  const fn = 'applyRotaryPositions';
  const [B, H, T, D] = expectFloat32(fn, 'x', x, 4) as [number, number, number, number];
  const r = expectInteger(fn, 'options.rotaryDim', options.rotaryDim ?? D, 2);
  if (r % 2 !== 0 || r > D)
    throw invalidArgument(fn, 'options.rotaryDim', `an even integer <= D = ${D}`, describeValue(r));
  const base = options.base ?? 10000;
  if (typeof base !== 'number' || !Number.isFinite(base) || base <= 0)
    throw invalidArgument(fn, 'options.base', 'a finite number > 0', describeValue(base));
  const layout = options.layout ?? 'half-split';
  if (layout !== 'half-split' && layout !== 'interleaved')
    throw invalidArgument(
      fn,
      'options.layout',
      "'half-split' or 'interleaved'",
      describeValue(layout),
    );
  const positions = options.positions;
  if (
    positions !== undefined &&
    ((positions.length !== T && positions.length !== B * T) ||
      !Array.prototype.every.call(positions, Number.isFinite))
  ) {
    throw invalidArgument(
      fn,
      'options.positions',
      `${T} (T) or ${B * T} (B·T) finite numbers`,
      describeValue(positions),
    );
  }
  const output = outputBuffer(fn, 'options.output', options.output, x.data.length);
  if (output !== x.data) output.set(x.data); // features beyond r pass through

  const half = r / 2;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  // partner of feature i < r/2: x1 at first(i), x2 at second(i)
  const [firstStep, secondOffset] = layout === 'half-split' ? [1, half] : [2, 1];
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const p =
        positions === undefined ? t : (positions[positions.length === T ? t : b * T + t] as number);
      for (let i = 0; i < half; i++) {
        const angle = p * Math.pow(base, (-2 * i) / r);
        cos[i] = Math.cos(angle);
        sin[i] = Math.sin(angle);
      }
      for (let h = 0; h < H; h++) {
        const rowBase = ((b * H + h) * T + t) * D;
        for (let i = 0; i < half; i++) {
          const first = rowBase + i * firstStep;
          const second = first + secondOffset;
          const x1 = x.data[first] as number;
          const x2 = x.data[second] as number;
          output[first] = x1 * (cos[i] as number) - x2 * (sin[i] as number);
          output[second] = x1 * (sin[i] as number) + x2 * (cos[i] as number);
        }
      }
    }
  }
  return { type: 'float32', data: output, dims: [B, H, T, D] };
}
