import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '@attn/core-attention/testing';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { disposeSpeechModels, renderTranscriptionPng, transcribe } from '../index.js';

const model = join(repositoryRoot(), 'packages/core-attention/test-fixtures/tiny-whisper');

afterAll(() => disposeSpeechModels());

describe('renderTranscriptionPng', () => {
  it('draws the spectrogram, the word band and the token × frame attention, with boundary lines', async () => {
    const audio = Float32Array.from(
      { length: 16000 },
      (_, t) => 0.3 * Math.sin((2 * Math.PI * 440 * t) / 16000),
    );
    const result = await transcribe(audio, { model });
    const folder = mkdtempSync(join(tmpdir(), 'attn-render-'));
    const path = join(folder, 'transcription.png');
    await renderTranscriptionPng(result, audio, path, { width: 400 });

    const rows = result.attention!.dims[2];
    const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    // 160 px spectrogram + 10 px word band + 12 px per token row
    expect([info.width, info.height, info.channels]).toEqual([400, 160 + 10 + 12 * rows, 4]);
    expect(readdirSync(folder)).toEqual(['transcription.png']); // no temporary file left
    // the first word's end gets a white line at 60 %: every pixel of its column is at least 0.6 · 255
    const seconds = result.attention!.dims[3] * result.secondsPerFrame;
    const column = Math.round((result.words[0]!.end / seconds) * 400);
    for (let y = 0; y < info.height; y++)
      for (let c = 0; c < 3; c++)
        expect(data[(y * 400 + column) * 4 + c]).toBeGreaterThanOrEqual(153);
  });

  it('refuses a transcription without attention', async () => {
    const result = await transcribe(new Float32Array(16000), { model, attention: false });
    await expect(
      renderTranscriptionPng(result, new Float32Array(16000), '/tmp/never.png'),
    ).rejects.toThrow(
      /^renderTranscriptionPng\(\): result must be a transcription with attention, got attention undefined/,
    );
  });
});
