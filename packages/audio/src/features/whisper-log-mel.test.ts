import { describe, expect, it } from 'vitest';
import {
  expectClose,
  randomNormal,
  readNpz,
  seededRandom,
  sharedDataPath,
} from '@attn/core-attention/testing';
import { whisperLogMel } from '../index.js';

const whisperFilters = readNpz(sharedDataPath('hf-reference/whisper-assets/mel_filters.npz'));

/**
 * Whisper's log_mel_spectrogram in float64, straight from its definition: reflect-pad 200 samples each
 * side, periodic Hann window, a direct DFT per frame, drop the last frame, Whisper's own mel filters,
 * log10 floored at 1e-10, clamp to max − 8, (x + 4) / 4.
 */
function referenceLogMel(
  samples: Float32Array,
  nMels: number,
): { data: Float64Array; frames: number } {
  const nFft = 400;
  const hop = 160;
  const bins = 201;
  const filters = whisperFilters[`mel_${nMels}`]?.data as Float32Array;
  const n = samples.length;
  const padded = Float64Array.from([
    ...Array.from({ length: 200 }, (_, i) => samples[200 - i] as number), // x[200] … x[1]
    ...samples,
    ...Array.from({ length: 200 }, (_, i) => samples[n - 2 - i] as number), // x[n−2] … x[n−201]
  ]);
  const frames = Math.floor(n / hop) + 1 - 1;
  const cosine = new Float64Array(bins * nFft);
  const sine = new Float64Array(bins * nFft);
  for (let k = 0; k < bins; k++)
    for (let t = 0; t < nFft; t++) {
      cosine[k * nFft + t] = Math.cos((2 * Math.PI * ((k * t) % nFft)) / nFft);
      sine[k * nFft + t] = Math.sin((2 * Math.PI * ((k * t) % nFft)) / nFft);
    }
  const logMel = new Float64Array(nMels * frames);
  const power = new Float64Array(bins);
  const windowed = new Float64Array(nFft);
  for (let f = 0; f < frames; f++) {
    for (let t = 0; t < nFft; t++)
      windowed[t] =
        (padded[f * hop + t] as number) * (0.5 - 0.5 * Math.cos((2 * Math.PI * t) / nFft));
    for (let k = 0; k < bins; k++) {
      let real = 0;
      let imaginary = 0;
      for (let t = 0; t < nFft; t++) {
        real += (windowed[t] as number) * (cosine[k * nFft + t] as number);
        imaginary -= (windowed[t] as number) * (sine[k * nFft + t] as number);
      }
      power[k] = real * real + imaginary * imaginary;
    }
    for (let m = 0; m < nMels; m++) {
      let energy = 0;
      for (let k = 0; k < bins; k++)
        energy += (filters[m * bins + k] as number) * (power[k] as number);
      logMel[m * frames + f] = Math.log10(Math.max(energy, 1e-10));
    }
  }
  const maximum = Math.max(...logMel);
  return { data: logMel.map((value) => (Math.max(value, maximum - 8) + 4) / 4), frames };
}

/** Tone then silence: the silent half sits far below max − 8, so the clamp decides its values. */
function toneThenSilence(length: number): Float32Array {
  return Float32Array.from({ length }, (_, t) =>
    t < length / 2 ? 0.8 * Math.sin((2 * Math.PI * 440 * t) / 16000) : 0,
  );
}

/** A linear chirp from 100 Hz to 7 kHz. */
function chirp(length: number): Float32Array {
  const seconds = length / 16000;
  return Float32Array.from({ length }, (_, t) => {
    const time = t / 16000;
    return 0.5 * Math.sin(2 * Math.PI * (100 * time + ((6900 / seconds) * time * time) / 2));
  });
}

describe('whisperLogMel', () => {
  // float32 output of values in about [-1.5, 2]: within about one float32 ulp at 2 (2.4e-7) of float64
  const tolerance = { atol: 3e-7, rtol: 0 };

  it('equals a float64 direct-DFT reference on noise, a chirp and tone-then-silence', () => {
    const signals = {
      noise: randomNormal(seededRandom(11), 16000, 0.1),
      chirp: chirp(24000),
      toneThenSilence: toneThenSilence(20000),
    };
    for (const [name, samples] of Object.entries(signals)) {
      const reference = referenceLogMel(samples, 80);
      const features = whisperLogMel(samples);
      expect(features.dims).toEqual([80, reference.frames]);
      expectClose(features.data, reference.data, { ...tolerance, label: name });
    }
  });

  it('clamps everything more than 8 below the maximum (the silent half of tone-then-silence)', () => {
    const features = whisperLogMel(toneThenSilence(16000));
    const maximum = Math.max(...features.data);
    const minimum = Math.min(...features.data);
    expect(maximum - minimum).toBeCloseTo(2, 5); // 8 in log10 units, divided by 4
    const lastFrame = features.dims[1] as number;
    expect(features.data[lastFrame - 1]).toBeCloseTo(minimum, 6); // mel bin 0 of the last, silent frame
  });

  it('pads with zeros or trims to chunkSamples before the STFT, and uses 128 mel bins on request', () => {
    const samples = chirp(20000);
    const padded = new Float32Array(32000);
    padded.set(samples);
    const paddedFeatures = whisperLogMel(samples, { chunkSamples: 32000, nMels: 128 });
    expect(paddedFeatures.dims).toEqual([128, 200]);
    expectClose(paddedFeatures.data, referenceLogMel(padded, 128).data, tolerance);
    const trimmed = whisperLogMel(samples, { chunkSamples: 8000 });
    expect(trimmed.dims).toEqual([80, 50]);
    expectClose(trimmed.data, referenceLogMel(samples.subarray(0, 8000), 80).data, tolerance);
  });

  it('gives -1.5 for silence: log10(1e-10) = -10, (-10 + 4) / 4', () => {
    const features = whisperLogMel(new Float32Array(16000), { chunkSamples: 80000 });
    expect(features.dims).toEqual([80, 500]);
    expect(features.data.every((value) => value === -1.5)).toBe(true);
  });

  it('handles an odd frame count and the shortest input reflection allows (201 samples, 1 frame)', () => {
    const samples = randomNormal(seededRandom(4), 201 + 160 * 2, 0.2); // ⌊521 / 160⌋ = 3 frames
    expectClose(whisperLogMel(samples).data, referenceLogMel(samples, 80).data, tolerance);
    expect(whisperLogMel(new Float32Array(201).fill(0.5)).dims).toEqual([80, 1]);
  });

  it('rejects short or non-finite input and bad options', () => {
    expect(() => whisperLogMel(new Float32Array(200))).toThrow(
      'whisperLogMel(): samples must be at least 201 samples for one frame, reflect padding by nFft / 2 included (or options.chunkSamples to pad to), got Float32Array of length 200.',
    );
    expect(() => whisperLogMel(new Float32Array([0, Number.NaN]))).toThrow(
      /sample 1 of channel 0 is NaN/,
    );
    expect(() => whisperLogMel(new Float32Array(400), { hopLength: 500 })).toThrow(
      /at least 500 samples for one frame/,
    );
    expect(() => whisperLogMel(new Float32Array(400), { hopLength: 0 })).toThrow(
      'whisperLogMel(): options.hopLength must be a positive integer, got 0.',
    );
    expect(() => whisperLogMel(new Float32Array(400), { chunkSamples: 1.5 })).toThrow(
      /options.chunkSamples/,
    );
    expect(() => whisperLogMel(new Float64Array(400) as unknown as Float32Array)).toThrow(
      'whisperLogMel(): samples must be a Float32Array, got Float64Array of length 400.',
    );
  });
});
