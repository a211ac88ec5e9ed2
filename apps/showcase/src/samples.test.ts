import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '@attn/audio';
import { loadImage } from '@attn/vision';
import { describe, expect, it } from 'vitest';
import { showcaseSamples } from './samples.js';

const script = fileURLToPath(new URL('../samples/make-samples.py', import.meta.url));

describe('showcase samples', () => {
  it('regenerate byte for byte from samples/make-samples.py (scenes.py, espeak-ng)', async () => {
    const { stdout } = await promisify(execFile)('/usr/bin/python3', [script, '--check']);
    expect(stdout).toContain('samples match: scene.png, scene.json, speech.wav, speech.json');
  });

  it('are what the sections expect: a 320 x 256 scene, a few seconds of 16 kHz mono speech with timed words', async () => {
    const samples = showcaseSamples();
    const scene = await loadImage(samples.scene.path);
    expect([scene.width, scene.height]).toEqual([320, 256]);
    for (const { bbox } of samples.scene.objects) {
      const [x, y, width, height] = bbox;
      expect(x + width).toBeLessThanOrEqual(320);
      expect(y + height).toBeLessThanOrEqual(256);
    }
    const speech = decodeWav(samples.speech.path);
    expect([speech.sampleRate, speech.channels]).toEqual([16000, 1]);
    expect(speech.durationSeconds).toBeCloseTo(samples.speech.durationSeconds, 4);
    expect(speech.durationSeconds).toBeGreaterThan(2);
    expect(speech.durationSeconds).toBeLessThan(6); // attn/whisper-espeak's chunk
    expect(samples.speech.words.map((word) => word.word).join(' ')).toBe(samples.speech.text);
    // the speech is silent outside the words (espeak-ng's silence is exact zeros; resampling rings a little)
    const samplesAt = (time: number): number =>
      Math.abs(speech.samples[0]?.[Math.round(time * 16000)] ?? Number.NaN);
    expect(samplesAt(0.1)).toBe(0);
    let loudest = 0;
    const first = samples.speech.words[0]!;
    for (let time = first.start; time < first.end; time += 1 / 16000)
      loudest = Math.max(loudest, samplesAt(time));
    expect(loudest).toBeGreaterThan(0.05);
  });
});
