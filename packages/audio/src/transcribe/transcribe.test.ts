import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttnError } from '@attn/core-attention';
import { expectClose, repositoryRoot, seededRandom } from '@attn/core-attention/testing';
import { afterAll, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { disposeSpeechModels, transcribe, type Transcription } from '../index.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const model = join(fixtures, 'tiny-whisper');
const reference = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8'))[
  'tiny-whisper'
] as {
  decoder_input_ids: number[];
  greedy_ids: number[];
};

afterAll(() => disposeSpeechModels());

/** A WAV file written by wavefile: 16-bit integer samples in [-1, 1), channels × frames. */
function wavBytes(channels: number[][], sampleRate: number): Uint8Array {
  const file = new wavefile.WaveFile();
  file.fromScratch(
    channels.length,
    sampleRate,
    '16',
    channels.map((channel) => channel.map((x) => Math.round(x * 32767))),
  );
  return file.toBuffer();
}

/** A gliding tone with seeded noise: speech-like enough to make the random model write several words. */
function syntheticSignal(seconds: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: seconds * 16000 }, (_, t) => {
    const time = t / 16000;
    return (
      0.3 * Math.sin(2 * Math.PI * (180 + 60 * Math.sin(3 * time)) * time) +
      0.05 * (2 * random() - 1)
    );
  });
}

/** Invariants every transcription keeps: words = the text's words, times in order and inside the audio. */
function expectWellFormed(result: Transcription): void {
  const textWords = result.text.split(/\s+/u).filter((word) => word !== '');
  expect(result.words.map((word) => word.word)).toEqual(textWords);
  let previousEnd = 0;
  for (const word of result.words) {
    expect(word.start).toBeGreaterThanOrEqual(previousEnd);
    expect(word.end).toBeGreaterThanOrEqual(word.start);
    expect(word.end).toBeLessThanOrEqual(result.durationSeconds);
    expect(word.confidence).toBeGreaterThan(0);
    expect(word.confidence).toBeLessThanOrEqual(1);
    previousEnd = word.end;
  }
  let previousSegmentEnd = 0;
  for (const segment of result.segments) {
    expect(segment.start).toBeGreaterThanOrEqual(previousSegmentEnd);
    expect(segment.end).toBeGreaterThan(segment.start);
    expect(segment.end).toBeLessThanOrEqual(result.durationSeconds);
    previousSegmentEnd = segment.end;
  }
  expect(result.segments.map((segment) => segment.text).join(' ')).toBe(result.text);
}

describe('transcribe on tiny-whisper', () => {
  it("decodes 1 s of silence to reference.json's greedy ids, from samples and from WAV files at other rates", async () => {
    // silence padded to the 2 s chunk: log-mel -1.5 everywhere, prompt <|startoftranscript|> <|en|> <|transcribe|>
    // <|notimestamps|> = [297, 298, 301, 305]; PyTorch's greedy ids end with <|endoftext|> (296)
    expect(reference.decoder_input_ids).toEqual([297, 298, 301, 305]);
    const textIds = reference.greedy_ids.slice(0, -1);
    for (const audio of [
      new Float32Array(16000),
      wavBytes([new Array<number>(44100).fill(0), new Array<number>(44100).fill(0)], 44100),
      wavBytes([new Array<number>(8000).fill(0)], 8000),
    ]) {
      const result = await transcribe(audio, { model });
      expect(result.segments.map((segment) => segment.tokens)).toEqual([textIds]);
      expect(result.text).toBe('0jjj5'); // tiny-whisper's vocabulary: 15 '0', 73 'j', 20 '5'
      expect(result).toMatchObject({ language: 'en', durationSeconds: 1, secondsPerFrame: 0.02 });
      expectWellFormed(result);
    }
  });

  it('returns the alignment heads’ cross-attention over the audio’s frames, one row per generated token', async () => {
    const result = await transcribe(new Float32Array(16000), { model });
    const maps = result.attention!;
    expect(result.alignmentHeads).toEqual([
      [1, 0],
      [1, 2],
    ]);
    // layer 1, heads 0 and 2; rows: the 5 text tokens and <|endoftext|>; 1 s = 50 encoder frames
    expect(maps.dims).toEqual([1, 2, 6, 50]);
    expect(maps.queryLabels).toEqual(['0', 'j', 'j', 'j', '5', '<|endoftext|>']);
    expect(maps.keyLabels.slice(0, 3)).toEqual(['0.00', '0.02', '0.04']);
    const sums = Array.from({ length: 12 }, (_, row) =>
      maps.data.subarray(row * 50, (row + 1) * 50).reduce((a, b) => a + b, 0),
    );
    expectClose(sums, new Array<number>(12).fill(1), { atol: 1e-5 });
    expect(
      (await transcribe(new Float32Array(16000), { model, attention: false })).attention,
    ).toBeUndefined();
  });

  it('times several words in order inside the audio, one per word of the text', async () => {
    // tiny-whisper never writes a token with a leading space; a copy whose vocabulary spells 'j' (73) and '5' (20)
    // as 'Ġj' and 'Ġ5' turns the silence's ids [15, 73, 73, 73, 20] into the five words '0 j j j 5'
    const folder = mkdtempSync(join(tmpdir(), 'attn-tiny-whisper-'));
    cpSync(model, folder, { recursive: true });
    const tokenizer = JSON.parse(readFileSync(join(model, 'tokenizer.json'), 'utf8')) as {
      model: { vocab: Record<string, number> };
    };
    for (const [token, id] of [
      ['j', 73],
      ['5', 20],
    ] as const) {
      delete tokenizer.model.vocab[token];
      tokenizer.model.vocab[`Ġ${token}`] = id;
    }
    writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(tokenizer));
    const result = await transcribe(new Float32Array(16000), { model: folder });
    expect(result.text).toBe('0 j j j 5');
    expect(result.words.map((word) => word.word)).toEqual(['0', 'j', 'j', 'j', '5']);
    expectWellFormed(result);
    // the words tile the audio from where the path starts to where <|endoftext|> begins
    expect(result.words[0]!.start).toBe(0);
    for (let i = 1; i < 5; i++) expect(result.words[i]!.start).toBe(result.words[i - 1]!.end);
    expect(result.segments).toEqual([
      { start: 0, end: 1, text: '0 j j j 5', tokens: [15, 73, 73, 73, 20] },
    ]);
  });

  it('transcribes 7 s in overlapping 2 s windows with monotonic, in-bounds times', async () => {
    const result = await transcribe(syntheticSignal(7, 5), { model, maxNewTokens: 20 });
    expectWellFormed(result);
    expect(result.durationSeconds).toBe(7);
    // 2 s windows, each cut at a pause or in its last 1/3 s; one segment per window that heard words
    expect(result.segments.length).toBeGreaterThan(1);
    expect(result.segments.length).toBeLessThanOrEqual(4);
    expect(result.attention).toBeUndefined();
    expect(result.warnings).toEqual([
      'the audio is longer than one 2 s chunk: attention maps are returned for audio of one chunk only',
    ]);
  });

  it('cuts long audio between windows inside the pauses it ends them at', async () => {
    // 0.9 s of sound, then 0.3 s of silence, seven times: every 2 s window holds a pause after its first third
    const signal = syntheticSignal(8.4, 8);
    const pauses: [number, number][] = [];
    for (let start = 0.9; start < 8.4; start += 1.2) {
      pauses.push([start, start + 0.3]);
      signal.fill(0, Math.round(start * 16000), Math.round((start + 0.3) * 16000));
    }
    const result = await transcribe(signal, { model, maxNewTokens: 20 });
    expectWellFormed(result);
    const cuts = result.segments.slice(1).map((segment) => segment.start);
    expect(cuts.length).toBeGreaterThan(0);
    for (const cut of cuts)
      expect(
        pauses.some(([from, to]) => cut >= from && cut <= to),
        `cut at ${cut} s`,
      ).toBe(true);
  });

  it('stops with ABORTED when the signal fires during transcription', async () => {
    const controller = new AbortController();
    let checks = 0;
    // the signal reads as aborted from its fourth check on: inside the first window's decoding
    Object.defineProperty(controller.signal, 'aborted', { get: () => ++checks > 3 });
    const error = await transcribe(syntheticSignal(7, 5), {
      model,
      signal: controller.signal,
    }).catch((caught: unknown) => caught);
    expect(AttnError.is(error) && error.code).toBe('ABORTED');
  });
});
