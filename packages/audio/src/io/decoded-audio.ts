// The audio every function of @attn/audio takes and returns: float samples per channel at a sample rate.
import { AttnError } from '@attn/core-attention';

/** Audio as float samples, one Float32Array per channel, nominally in [-1, 1]. */
export interface DecodedAudio {
  /** Samples per second, an integer in [{@link minSampleRate}, {@link maxSampleRate}]. */
  sampleRate: number;
  /** Number of channels, ≥ 1; equals `samples.length`. */
  channels: number;
  /** One array per channel, all of the same length (≥ 1). */
  samples: Float32Array[];
  /** Samples per channel / sample rate. */
  durationSeconds: number;
  /** What was repaired while decoding (e.g. a data chunk longer than the file); empty when nothing was. */
  warnings: string[];
}

/** Below 1 kHz a rate carries no speech; such a header is almost always corrupt. */
export const minSampleRate = 1_000;
/** The highest rate in use (DXD / 768 kHz converters); anything above is a corrupt header. */
export const maxSampleRate = 768_000;

/** Whether `sampleRate` is an integer in [{@link minSampleRate}, {@link maxSampleRate}]. */
export function isSupportedSampleRate(sampleRate: number): boolean {
  return Number.isInteger(sampleRate) && sampleRate >= minSampleRate && sampleRate <= maxSampleRate;
}

/**
 * Throws INPUT_FORMAT at the first NaN or ±Infinity sample: such values are corrupt data, and zeroing
 * them would hide it while poisoning every later sum (resampling, the spectrogram).
 */
export function expectFiniteSamples(
  fn: string,
  channel: Float32Array | Float64Array,
  channelIndex: number,
): void {
  for (let i = 0; i < channel.length; i++) {
    const value = channel[i] as number;
    if (Number.isFinite(value)) continue;
    throw new AttnError(
      'INPUT_FORMAT',
      `${fn}(): sample ${i} of channel ${channelIndex} is ${value}; audio samples must be finite numbers`,
      {
        likelyCause: 'the audio was corrupted or produced by a computation that divided by zero',
        fix: 'replace non-finite samples (e.g. by 0) before passing the audio',
      },
    );
  }
}
