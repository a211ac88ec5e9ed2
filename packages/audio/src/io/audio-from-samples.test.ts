import { describe, expect, it } from 'vitest';
import { audioFromSamples } from '../index.js';

describe('audioFromSamples', () => {
  it('wraps mono samples without copying them', () => {
    const samples = new Float32Array(8000);
    const audio = audioFromSamples(samples, 16000);
    expect(audio).toEqual({
      sampleRate: 16000,
      channels: 1,
      samples: [samples],
      durationSeconds: 0.5,
      warnings: [],
    });
    expect(audio.samples[0]).toBe(samples);
  });

  it('rejects empty or non-Float32Array samples, bad rates and non-finite values', () => {
    expect(() => audioFromSamples(new Float32Array(0), 16000)).toThrow(
      'audioFromSamples(): samples must be a non-empty Float32Array, got Float32Array of length 0.',
    );
    expect(() => audioFromSamples([0.5] as unknown as Float32Array, 16000)).toThrow(/got \[0.5\]/);
    for (const rate of [0, -16000, 16000.5, 768001, Number.NaN])
      expect(() => audioFromSamples(new Float32Array(4), rate)).toThrow(
        `audioFromSamples(): sampleRate must be an integer from 1000 to 768000 Hz, got ${rate}.`,
      );
    expect(() => audioFromSamples(new Float32Array([0, Number.NEGATIVE_INFINITY]), 16000)).toThrow(
      /^audioFromSamples\(\): sample 1 of channel 0 is -Infinity/,
    );
  });
});
