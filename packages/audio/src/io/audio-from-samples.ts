// Mono float samples already in memory (a microphone buffer, another decoder's output) as DecodedAudio.
import { describeValue, invalidArgument } from '@attn/core-attention';
import {
  expectFiniteSamples,
  isSupportedSampleRate,
  maxSampleRate,
  minSampleRate,
  type DecodedAudio,
} from './decoded-audio.js';

/**
 * Wraps mono samples at `sampleRate` as {@link DecodedAudio}. The array is used as it is, not copied.
 *
 * @example
 * ```ts
 * const audio = audioFromSamples(new Float32Array(8000), 16000);
 * audio.channels; // 1
 * audio.durationSeconds; // 0.5
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `samples` is not a non-empty Float32Array or `sampleRate`
 * is not an integer in 1,000–768,000 Hz.
 * @throws {AttnError} INPUT_FORMAT when a sample is NaN or infinite.
 */
export function audioFromSamples(samples: Float32Array, sampleRate: number): DecodedAudio {
  const fn = 'audioFromSamples';
  if (!(samples instanceof Float32Array) || samples.length === 0)
    throw invalidArgument(fn, 'samples', 'a non-empty Float32Array', describeValue(samples));
  if (!isSupportedSampleRate(sampleRate))
    throw invalidArgument(
      fn,
      'sampleRate',
      `an integer from ${minSampleRate} to ${maxSampleRate} Hz`,
      describeValue(sampleRate),
    );
  expectFiniteSamples(fn, samples, 0);
  return {
    sampleRate,
    channels: 1,
    samples: [samples],
    durationSeconds: samples.length / sampleRate,
    warnings: [],
  };
}
