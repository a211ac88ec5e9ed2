// `attn transcribe` as a child process on the tiny-whisper fixture (random weights): timed words inside the audio,
// the spectrogram PNG, and a file that is not a WAV.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliInputs,
  fixtureModel,
  pngSignature,
  pngSize,
  type CliInputs,
} from '../testing/cli-inputs.js';
import { runAttn, successJson } from '../testing/run-attn.js';

let inputs: CliInputs;
beforeAll(async () => {
  inputs = await cliInputs();
});
afterAll(() => inputs.remove());

describe.concurrent('attn transcribe', () => {
  it('transcribe --json --out: timed words inside the audio, and the spectrogram picture', async () => {
    const out = join(inputs.folder, 'speech.png');
    const run = await runAttn([
      'transcribe',
      inputs.wav,
      '--model',
      fixtureModel('tiny-whisper'),
      '--json',
      '--out',
      out,
    ]);
    const [result] = successJson<{
      results: {
        text: string;
        durationSeconds: number;
        words: { word: string; start: number; end: number; confidence: number }[];
      }[];
    }>(run).results;
    expect(result!.durationSeconds).toBe(1);
    expect(result!.words.map((word) => word.word)).toEqual(
      result!.text.split(/\s+/).filter((word) => word !== ''),
    );
    let previous = 0;
    for (const word of result!.words) {
      expect(word.start).toBeGreaterThanOrEqual(previous);
      expect(word.end).toBeGreaterThanOrEqual(word.start);
      expect(word.end).toBeLessThanOrEqual(1);
      previous = word.end;
    }
    const png = await readFile(out);
    expect(png.subarray(0, 8).toString('hex')).toBe(pngSignature);
    expect(pngSize(png).width).toBe(1000);
  });

  it('transcribe on a file that is not a WAV exits 3 and says so', async () => {
    const { code, stderr } = await runAttn([
      'transcribe',
      inputs.scene,
      '--model',
      fixtureModel('tiny-whisper'),
    ]);
    expect(code).toBe(3);
    expect(stderr).toContain('scene.png');
    expect(stderr).toMatch(/not a (RIFF )?WAV/i);
  });
});
