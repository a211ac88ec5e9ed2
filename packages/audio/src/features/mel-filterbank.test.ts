import { describe, expect, it } from 'vitest';
import { expectClose, readNpz, sharedDataPath } from '@attn/core-attention/testing';
import { melFilterbank } from '../index.js';

describe('melFilterbank', () => {
  const whisperFilters = readNpz(sharedDataPath('hf-reference/whisper-assets/mel_filters.npz'));

  for (const nMels of [80, 128]) {
    it(`equals Whisper's mel_${nMels} (librosa, Slaney scale and norm) within 1e-6`, () => {
      const reference = whisperFilters[`mel_${nMels}`];
      const filters = melFilterbank(nMels, 400, 16000);
      expect(filters.dims).toEqual(reference?.shape);
      expectClose(filters.data, reference?.data ?? [], {
        atol: 1e-6,
        rtol: 0,
        label: `mel_${nMels}`,
      });
    });
  }

  it('places the first filter on the linear part of the scale, as worked by hand', () => {
    // 8 kHz = 15 + 27·ln(8)/ln(6.4) = 45.245 mels; 82 points, step 45.245/81 = 0.55858 mels = 37.239 Hz.
    // Filter 0 spans 0 … 37.239 … 74.478 Hz; bin 1 (40 Hz) is on its falling side:
    // (74.478 − 40) / 37.239 = 0.92586, times the area norm 2 / 74.478 = 0.026854 -> 0.024863
    const filters = melFilterbank(80, 400, 16000);
    expect(filters.data[0]).toBe(0);
    expect(filters.data[1]).toBeCloseTo(0.024863, 6);
    expect(filters.data[2]).toBe(0); // 80 Hz is past 74.478 Hz
  });

  it('rejects non-positive sizes and rates', () => {
    expect(() => melFilterbank(0, 400, 16000)).toThrow(
      'melFilterbank(): nMels must be a positive integer, got 0.',
    );
    expect(() => melFilterbank(80, 1, 16000)).toThrow(
      'melFilterbank(): nFft must be an integer ≥ 2, got 1.',
    );
    expect(() => melFilterbank(80, 400, -1)).toThrow(/sampleRate must be a positive number of Hz/);
  });
});
