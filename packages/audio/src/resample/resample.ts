// Band-limited sample-rate conversion by a polyphase windowed-sinc filter (Smith, "Digital Audio
// Resampling"; Crochiere & Rabiner 1983): the rates' ratio L/M in lowest terms gives L filter phases.
//   x [n] input, y [round(n·L/M)] output, output j sits at input time t_j = j·M/L = base_j + phase_j / L
//   T taps per phase (2K, K = ⌈W⌉), table [P + 1, T] of h(phase / P + K − 1 − k), each row summing to 1
import { describeValue, invalidArgument } from '@attn/core-attention';
import { isSupportedSampleRate, maxSampleRate, minSampleRate } from '../io/decoded-audio.js';
import { kaiserSinc, resamplingFilter } from './kaiser-sinc.js';

/** Above this many table entries the phases are sampled at P < L points and interpolated linearly. */
const maxTableEntries = 1 << 21;

/**
 * Converts `samples` from `fromRate` to `toRate` with a Kaiser-windowed sinc low-pass at
 * 0.94 × the lower Nyquist rate (about 87 dB stop-band attenuation), so downsampling does not alias.
 * The output has round(n · toRate / fromRate) samples; equal rates return a copy. The signal is taken as
 * zero outside its ends, so the first and last ~32 / 0.94 periods of the lower rate are tapered.
 *
 * @example
 * ```ts
 * const tone = Float32Array.from({ length: 44100 }, (_, t) => Math.sin((2 * Math.PI * 440 * t) / 44100));
 * const resampled = resample(tone, 44100, 16000);
 * resampled.length; // 16000
 * resampled[8001]; // 0.1719294; the ideal sin(2π · 440 · 8001 / 16000) is 0.1719291
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `samples` is not a Float32Array or a rate is not an integer
 * from 1,000 to 768,000 Hz.
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  validateResampleArguments('resample', samples, fromRate, toRate);
  if (fromRate === toRate) return samples.slice();
  const divisor = greatestCommonDivisor(fromRate, toRate);
  const L = toRate / divisor;
  const M = fromRate / divisor;
  const n = samples.length;
  const output = new Float32Array(Math.round((n * L) / M));
  const filter = resamplingFilter(fromRate, toRate);
  const K = Math.ceil(filter.halfWidth);
  const T = 2 * K;
  const P = L * T <= maxTableEntries ? L : Math.max(1, Math.floor(maxTableEntries / T) - 1);
  const table = cachedPhaseTable(`${fromRate}/${toRate}`, () => phaseTable(filter, P, K));
  let base = 0;
  let phase = 0;
  for (let j = 0; j < output.length; j++) {
    const first = base - K + 1; // input index of tap 0
    const kStart = Math.max(0, -first);
    const kEnd = Math.min(T, n - first);
    const row = (phase * P) / L; // exact when P = L
    const p = Math.floor(row);
    const a = row - p;
    let sum = 0;
    if (a === 0) {
      const offset = p * T;
      for (let k = kStart; k < kEnd; k++)
        sum += (table[offset + k] as number) * (samples[first + k] as number);
    } else {
      const lower = p * T;
      const upper = lower + T;
      for (let k = kStart; k < kEnd; k++) {
        const weight = (1 - a) * (table[lower + k] as number) + a * (table[upper + k] as number);
        sum += weight * (samples[first + k] as number);
      }
    }
    output[j] = sum;
    phase += M;
    base += Math.floor(phase / L);
    phase %= L;
  }
  return output;
}

/** Phase tables by rate pair: long audio is resampled window by window at the same rates. */
const phaseTables = new Map<string, Float64Array>();
const maxCachedTables = 8;

function cachedPhaseTable(key: string, build: () => Float64Array): Float64Array {
  let table = phaseTables.get(key);
  if (table === undefined) {
    table = build();
    if (phaseTables.size >= maxCachedTables)
      phaseTables.delete(phaseTables.keys().next().value as string);
    phaseTables.set(key, table);
  }
  return table;
}

/** Rows r = 0..P hold the taps for fractional offset r / P, normalised to sum 1 so DC passes exactly. */
function phaseTable(
  filter: ReturnType<typeof resamplingFilter>,
  P: number,
  K: number,
): Float64Array {
  const T = 2 * K;
  const table = new Float64Array((P + 1) * T);
  for (let r = 0; r <= P; r++) {
    let rowSum = 0;
    for (let k = 0; k < T; k++) {
      const weight = kaiserSinc(r / P + K - 1 - k, filter); // τ = t − i for i = base − K + 1 + k
      table[r * T + k] = weight;
      rowSum += weight;
    }
    for (let k = 0; k < T; k++) table[r * T + k] = (table[r * T + k] as number) / rowSum;
  }
  return table;
}

/** Shared argument checks of {@link resample} and its reference. */
export function validateResampleArguments(
  fn: string,
  samples: Float32Array,
  fromRate: number,
  toRate: number,
): void {
  if (!(samples instanceof Float32Array))
    throw invalidArgument(fn, 'samples', 'a Float32Array', describeValue(samples));
  const range = `an integer from ${minSampleRate} to ${maxSampleRate} Hz`;
  if (!isSupportedSampleRate(fromRate))
    throw invalidArgument(fn, 'fromRate', range, describeValue(fromRate));
  if (!isSupportedSampleRate(toRate))
    throw invalidArgument(fn, 'toRate', range, describeValue(toRate));
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
