import { join } from 'node:path';
import { AttnError } from '@attn/core-attention';
import { repositoryRoot } from '@attn/core-attention/testing';
import { afterAll, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { disposeSpeechModels, transcribe, type TranscribeOptions } from '../index.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const model = join(fixtures, 'tiny-whisper');
// a folder that does not exist: input errors must come before any model is looked up
const absent = '/nonexistent/attn-whisper';

afterAll(() => disposeSpeechModels());

async function errorOf(audio: unknown, options: TranscribeOptions): Promise<AttnError> {
  const error = await transcribe(audio as Float32Array, options).catch((caught: unknown) => caught);
  if (!AttnError.is(error)) throw new Error(`expected an AttnError, got ${String(error)}`);
  return error;
}

function wavBytes(samples: number[], sampleRate: number): Buffer {
  const file = new wavefile.WaveFile();
  file.fromScratch(1, sampleRate, '16', samples);
  return Buffer.from(file.toBuffer());
}

describe('transcribe() errors', () => {
  it("passes the front end's errors through before loading any model", async () => {
    expect(
      await errorOf(new TextEncoder().encode('ID3 not a wav'), { model: absent }),
    ).toMatchObject({
      code: 'INPUT_FORMAT',
      message: expect.stringMatching(/^decodeWav\(\): input is not a WAV file/),
    });
    expect(await errorOf(wavBytes([], 16000), { model: absent })).toMatchObject({
      code: 'INPUT_FORMAT',
      message: expect.stringMatching(/^decodeWav\(\): the WAV file holds no samples/),
    });
    expect(await errorOf(new Float32Array(0), { model: absent })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(
        /^audioFromSamples\(\): samples must be a non-empty Float32Array/,
      ),
    });
    expect(await errorOf(new Float32Array([0, Number.NaN]), { model: absent })).toMatchObject({
      code: 'INPUT_FORMAT',
      message: expect.stringMatching(/^audioFromSamples\(\): sample 1 of channel 0 is NaN/),
    });
    const absurd = wavBytes([1, 2, 3], 16000);
    absurd.writeUInt32LE(4_000_000, 24); // the fmt chunk's sample rate
    expect((await errorOf(absurd, { model: absent })).message).toMatch(
      /^decodeWav\(\): the WAV header is damaged or truncated: its sample rate 4000000 Hz is outside/,
    );
    const decodedAtAbsurdRate = {
      sampleRate: 5,
      channels: 1,
      samples: [new Float32Array(4)],
      durationSeconds: 1,
      warnings: [],
    };
    expect((await errorOf(decodedAtAbsurdRate, { model: absent })).code).toBe('INVALID_ARGUMENT');
    expect((await errorOf(42, { model: absent })).message).toMatch(
      /^transcribe\(\): audio must be a WAV file path/,
    );
  });

  it('rejects bad options', async () => {
    const audio = new Float32Array(16000);
    expect((await errorOf(audio, { model: absent, maxNewTokens: 0 })).message).toBe(
      'transcribe(): options.maxNewTokens must be a positive integer, got 0.',
    );
    expect((await errorOf(audio, { model: absent, overlapSeconds: -1 })).message).toBe(
      'transcribe(): options.overlapSeconds must be a finite number ≥ 0, got -1.',
    );
    expect((await errorOf(audio, { model, overlapSeconds: 1 })).message).toBe(
      "transcribe(): options.overlapSeconds must be less than half the model's chunk of 2 s, got 1.",
    );
    expect((await errorOf(audio, { model, language: 'fr' })).message).toMatch(
      /options.language must be one of the model's languages \(en, de\), got 'fr'/,
    );
    expect((await errorOf(audio, { model: absent, task: 'summarize' as 'transcribe' })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      (await errorOf(audio, { model: absent, sessionOptions: 'fast' as never })).message,
    ).toMatch(
      /^transcribe\(\): sessionOptions must be an object of onnxruntime-node's InferenceSession.SessionOptions .*got 'fast'/,
    );
    expect(
      await errorOf(audio, { model, sessionOptions: { graphOptimizationLevel: 'most' as never } }),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(
        /refused the session options .*'graphOptimizationLevel' is not supported: most/,
      ),
    });
  });

  it('names a model that does not exist, and refuses one that is not whisper', async () => {
    const missing = await errorOf(new Float32Array(16000), { model: absent });
    expect(missing.code).toBe('MODEL_NOT_FOUND');
    expect(missing.message).toContain(absent);
    const bart = join(fixtures, 'tiny-bart');
    expect(await errorOf(new Float32Array(16000), { model: bart })).toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(
        /^transcribe\(\): .*tiny-bart is a 'bart' model; transcribe runs whisper models/,
      ),
    });
  });

  it('stops with ABORTED for a signal that has fired already', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(
      (await errorOf(new Float32Array(16000), { model, signal: controller.signal })).code,
    ).toBe('ABORTED');
  });
});
