// Any audio input as mono samples at the model's rate, read one window at a time. Each window is down-mixed
// and resampled on its own, with enough source samples on both sides for the resampler's kernel and its start
// aligned to the rates' common period, so a window equals the same span of the whole file resampled at once.
//   L / M = toRate / fromRate in lowest terms; output j sits at source time j·M/L; K = the kernel's half-width
import { describeValue, invalidArgument } from '@attn/core-attention';
import { audioFromSamples } from '../io/audio-from-samples.js';
import { isSupportedSampleRate, type DecodedAudio } from '../io/decoded-audio.js';
import { downmix } from '../io/downmix.js';
import { resamplingFilter } from '../resample/kaiser-sinc.js';
import { resample } from '../resample/resample.js';
import { framesInMemory, openWavFrames, type FrameSource } from './wav-frames.js';

/** What transcribe() takes: a WAV path, WAV bytes, mono samples at the model's rate (16 kHz), or decoded audio. */
export type SpeechInput = string | Uint8Array | Float32Array | DecodedAudio;

/** Mono audio at the model's rate, read a window at a time. */
export interface SpeechAudio {
  readonly sampleRate: number;
  /** Samples at `sampleRate`. */
  readonly length: number;
  readonly durationSeconds: number;
  readonly warnings: readonly string[];
  /** Samples [start, start + length), cut at the end of the audio. */
  read(start: number, length: number): Float32Array;
  close(): void;
}

/**
 * Opens `input` for windowed reading at `sampleRate`. WAV input is decoded lazily, a window at a time.
 *
 * @example
 * ```ts
 * const audio = openSpeechAudio('transcribe', 'speech-44k-stereo.wav', 16000); // 3 s
 * audio.length; // 48000
 * audio.read(16000, 32000).length; // 32000: mono, 16 kHz, from 1 s to 3 s
 * audio.close();
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for another kind of input or an unreadable path; INPUT_FORMAT and
 * INVALID_ARGUMENT from decodeWav / audioFromSamples (not a WAV, no samples, non-finite samples, absurd rates).
 */
export function openSpeechAudio(fn: string, input: SpeechInput, sampleRate: number): SpeechAudio {
  return resampledAudio(frameSource(fn, input, sampleRate), sampleRate);
}

function frameSource(fn: string, input: SpeechInput, sampleRate: number): FrameSource {
  if (typeof input === 'string' || input instanceof Uint8Array) return openWavFrames(fn, input);
  if (input instanceof Float32Array) {
    const audio = audioFromSamples(input, sampleRate);
    return framesInMemory(fn, audio.sampleRate, audio.samples, audio.warnings, false);
  }
  // built by hand, it may hold NaN: each window is checked as it is read
  if (isDecodedAudio(input))
    return framesInMemory(fn, input.sampleRate, input.samples, input.warnings ?? [], true);
  throw invalidArgument(
    fn,
    'audio',
    `a WAV file path, WAV bytes, a Float32Array of mono samples at ${sampleRate} Hz, or DecodedAudio with equal-length channels at 1000–768000 Hz`,
    describeValue(input),
  );
}

function isDecodedAudio(input: unknown): input is DecodedAudio {
  if (typeof input !== 'object' || input === null) return false;
  const { samples, sampleRate } = input as Partial<DecodedAudio>;
  return (
    isSupportedSampleRate(sampleRate as number) &&
    Array.isArray(samples) &&
    samples.length > 0 &&
    samples.every(
      (channel) =>
        channel instanceof Float32Array &&
        channel.length > 0 &&
        channel.length === (samples[0] as Float32Array).length,
    )
  );
}

function resampledAudio(source: FrameSource, sampleRate: number): SpeechAudio {
  const fromRate = source.sampleRate;
  const divisor = greatestCommonDivisor(fromRate, sampleRate);
  const L = sampleRate / divisor;
  const M = fromRate / divisor;
  const length = Math.round((source.frames * L) / M);
  // source samples needed beyond a window's ends: the kernel's reach, rounded up to whole periods of M
  const K = Math.ceil(resamplingFilter(fromRate, sampleRate).halfWidth) + 1;
  const marginPeriods = Math.ceil(K / M);
  const mono = (channels: Float32Array[]): Float32Array =>
    channels.length === 1 ? (channels[0] as Float32Array) : downmix(channels);
  return {
    sampleRate,
    length,
    durationSeconds: source.frames / fromRate,
    warnings: source.warnings,
    read(start, count) {
      const first = Math.max(0, Math.min(length, start));
      const end = Math.max(first, Math.min(length, start + count));
      if (end === first) return new Float32Array(0);
      if (fromRate === sampleRate) return mono(source.read(first, end - first));
      // the slice starts on a period boundary, where output index sliceStart·L/M is an integer
      const period = Math.max(0, Math.floor(first / L) - marginPeriods);
      const sliceStart = period * M;
      const outputOffset = period * L;
      const sliceEnd = Math.ceil((end * M) / L) + K;
      const slice = mono(source.read(sliceStart, sliceEnd - sliceStart));
      return resample(slice, fromRate, sampleRate).subarray(
        first - outputOffset,
        end - outputOffset,
      );
    },
    close: () => source.close(),
  };
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
