import { describe, expect, it } from 'vitest';
import { expectClose, randomNormal, seededRandom } from '@attn/core-attention/testing';
import { resample } from '../index.js';
import { resampleDirect } from './resample-direct.js';

function tone(frequency: number, rate: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, t) =>
    Math.sin((2 * Math.PI * frequency * t) / rate),
  );
}

/** 10·log10(signal / error) of `output` against the ideal tone at `rate`, skipping 10 % at each end. */
function toneSnr(output: Float32Array, frequency: number, rate: number): number {
  let signal = 0;
  let error = 0;
  for (let j = Math.floor(output.length / 10); j < output.length - output.length / 10; j++) {
    const ideal = Math.sin((2 * Math.PI * frequency * j) / rate);
    signal += ideal * ideal;
    error += ((output[j] as number) - ideal) ** 2;
  }
  return 10 * Math.log10(signal / error);
}

/** Output power relative to the input tone's power (0.5), in dB, skipping 10 % at each end. */
function gainDb(output: Float32Array): number {
  let power = 0;
  let count = 0;
  for (let j = Math.floor(output.length / 10); j < output.length - output.length / 10; j++, count++)
    power += (output[j] as number) ** 2;
  return 10 * Math.log10(power / count / 0.5);
}

describe('resample', () => {
  it('returns an equal copy when the rates are equal', () => {
    const samples = randomNormal(seededRandom(1), 100);
    const copy = resample(samples, 16000, 16000);
    expect(copy).toEqual(samples);
    expect(copy).not.toBe(samples);
  });

  it('has round(n · to / from) samples', () => {
    for (const [from, to] of [
      [44100, 16000],
      [8000, 16000],
      [48000, 16000],
      [22050, 16000],
    ] as const)
      for (const n of [0, 1, 2, 3, 7, 441, 1000])
        expect(resample(new Float32Array(n), from, to).length).toBe(Math.round((n * to) / from));
  });

  it('keeps tones below the passband edge with SNR above 60 dB (44.1k, 48k, 22.05k, 8k -> 16k)', () => {
    for (const [from, frequency] of [
      [44100, 440],
      [44100, 3000],
      [44100, 6000],
      [48000, 5000],
      [22050, 6500],
      [8000, 1000],
      [8000, 3000],
    ] as const) {
      const snr = toneSnr(resample(tone(frequency, from, 0.25), from, 16000), frequency, 16000);
      expect(snr, `${frequency} Hz from ${from}`).toBeGreaterThan(60);
    }
  });

  it('removes tones above the target Nyquist rate by more than 70 dB when downsampling', () => {
    for (const [from, frequency] of [
      [44100, 8500],
      [44100, 12000],
      [48000, 9000],
      [48000, 20000],
    ] as const)
      expect(
        gainDb(resample(tone(frequency, from, 0.25), from, 16000)),
        `${frequency} Hz`,
      ).toBeLessThan(-70);
  });

  it('passes DC exactly away from the ends', () => {
    for (const [from, to] of [
      [44100, 16000],
      [8000, 16000],
      [16000, 44100],
    ] as const) {
      const output = resample(new Float32Array(4000).fill(0.7), from, to);
      const middle = output.subarray(output.length / 4, (3 * output.length) / 4);
      expectClose(middle, new Float32Array(middle.length).fill(0.7), { atol: 1e-6, rtol: 0 });
    }
  });

  it('equals the direct windowed-sinc evaluation, with exact and with interpolated phases', () => {
    const noise = randomNormal(seededRandom(5), 1500, 0.3);
    // 44101 -> 16000 has 16000 phases of 188 taps: too many to tabulate, so phases are interpolated
    for (const [from, to, atol] of [
      [44100, 16000, 1e-6],
      [8000, 16000, 1e-6],
      [11025, 16000, 1e-6],
      [44101, 16000, 1e-5],
    ] as const)
      expectClose(resample(noise, from, to), resampleDirect(noise, from, to), {
        atol,
        rtol: 0,
        label: `${from} -> ${to}`,
      });
  });

  it('rejects non-Float32Array samples and rates outside 1 kHz–768 kHz', () => {
    expect(() => resample([1, 2] as unknown as Float32Array, 8000, 16000)).toThrow(
      'resample(): samples must be a Float32Array, got [1,2].',
    );
    expect(() => resample(new Float32Array(4), 0, 16000)).toThrow(
      'resample(): fromRate must be an integer from 1000 to 768000 Hz, got 0.',
    );
    expect(() => resample(new Float32Array(4), 16000, 44100.5)).toThrow(
      /toRate must be an integer/,
    );
  });
});
