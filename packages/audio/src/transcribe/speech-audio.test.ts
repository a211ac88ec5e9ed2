import { closeSync, mkdtempSync, openSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AttnError } from '@attn/core-attention';
import { seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { decodeWav, downmix, resample } from '../index.js';
import { openSpeechAudio } from './speech-audio.js';

/** A full garbage collection, so that memory measurements count live buffers only. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** A WAV file written by wavefile (independent of decodeWav): '16' integer or '32f' float samples. */
function wavBytes(channels: number[][], sampleRate: number, bitDepth: '16' | '32f'): Uint8Array {
  const file = new wavefile.WaveFile();
  file.fromScratch(channels.length, sampleRate, bitDepth, channels);
  return file.toBuffer();
}

function randomChannels(seed: number, channels: number, frames: number, scale = 1): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: channels }, () =>
    Array.from({ length: frames }, () => Math.round((2 * random() - 1) * 30000 * scale)),
  );
}

function attnErrorOf(action: () => unknown): AttnError {
  try {
    action();
  } catch (error) {
    if (AttnError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an AttnError');
}

describe('openSpeechAudio', () => {
  const bytes = wavBytes(randomChannels(3, 2, 44100 * 2), 44100, '16'); // 2 s of stereo noise at 44.1 kHz
  const folder = mkdtempSync(join(tmpdir(), 'attn-speech-'));
  const path = join(folder, 'noise.wav');
  writeFileSync(path, bytes);
  const decoded = decodeWav(bytes);
  const whole = resample(downmix(decoded.samples), 44100, 16000); // the whole file at once: 32000 samples

  for (const [label, input] of [
    ['a path', path],
    ['bytes', bytes],
    ['decoded audio', decoded],
  ] as const) {
    it(`reads windows of ${label} equal to the whole file resampled at once`, () => {
      const audio = openSpeechAudio('transcribe', input, 16000);
      expect(audio.length).toBe(32000);
      expect(audio.durationSeconds).toBe(2);
      // window starts on and off the rates' 10 ms period (160 outputs), at both ends, and one past the end
      for (const [start, length] of [
        [0, 8000],
        [4321, 9999],
        [16000, 16000],
        [31000, 5000],
        [32000, 10],
      ] as const) {
        const window = audio.read(start, length);
        expect(window.length).toBe(Math.max(0, Math.min(32000, start + length) - start));
        expect([...window]).toEqual([...whole.subarray(start, start + length)]);
      }
      audio.close();
    });
  }

  it('reads big-endian RIFX files window by window too', () => {
    const file = new wavefile.WaveFile();
    file.fromScratch(1, 22050, '16', randomChannels(8, 1, 22050)[0]!, { container: 'RIFX' });
    const rifx = file.toBuffer();
    const reference = resample(decodeWav(rifx).samples[0]!, 22050, 16000);
    const audio = openSpeechAudio('transcribe', rifx, 16000);
    expect(audio.length).toBe(16000);
    expect([...audio.read(5000, 3000)]).toEqual([...reference.subarray(5000, 8000)]);
  });

  it('passes 16 kHz mono samples through unchanged', () => {
    const samples = Float32Array.from({ length: 1000 }, (_, t) => Math.sin(t / 7));
    const audio = openSpeechAudio('transcribe', samples, 16000);
    expect([...audio.read(100, 50)]).toEqual([...samples.subarray(100, 150)]);
  });

  it('decodes a WAV file lazily: a NaN in a later window fails only when that window is read', () => {
    const samples = Array.from({ length: 32000 }, (_, t) => (t === 20000 ? Number.NaN : 0.25));
    const lazyPath = join(folder, 'nan.wav');
    writeFileSync(lazyPath, wavBytes([samples], 16000, '32f'));
    const audio = openSpeechAudio('transcribe', lazyPath, 16000);
    expect(audio.read(0, 16000).every((x) => x === 0.25)).toBe(true);
    const error = attnErrorOf(() => audio.read(16000, 16000));
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.message).toMatch(
      /^transcribe\(\): in the audio from 1\.000 s to 2\.000 s \(sample indices below count from there\): decodeWav\(\): sample 4000 of channel 0 is NaN/,
    );
    audio.close();
  });

  it("passes decodeWav's errors through: not a WAV, no samples, absurd rate", () => {
    expect(
      attnErrorOf(() => openSpeechAudio('transcribe', new TextEncoder().encode('hello'), 16000)),
    ).toMatchObject({
      code: 'INPUT_FORMAT',
      message: expect.stringMatching(/^decodeWav\(\): input is not a WAV file/),
    });
    const empty = wavBytes([[]], 16000, '16');
    expect(attnErrorOf(() => openSpeechAudio('transcribe', empty, 16000)).message).toMatch(
      /^decodeWav\(\): the WAV file holds no samples/,
    );
    const absurd = Buffer.from(wavBytes([[1, 2, 3]], 16000, '16'));
    absurd.writeUInt32LE(5, 24); // the fmt chunk's sample rate: 5 Hz
    expect(attnErrorOf(() => openSpeechAudio('transcribe', absurd, 16000)).message).toMatch(
      /^decodeWav\(\): the WAV header is damaged or truncated: its sample rate 5 Hz is outside 1000–768000 Hz/,
    );
  });

  it('warns about a data chunk longer than the file and reads the frames present', () => {
    const truncated = Buffer.from(wavBytes(randomChannels(5, 1, 1000, 0.1), 16000, '16')).subarray(
      0,
      44 + 2 * 600 + 1,
    );
    const audio = openSpeechAudio('transcribe', truncated, 16000);
    expect(audio.length).toBe(600);
    expect(audio.warnings).toEqual([
      'the data chunk declares 2000 bytes but the file holds 1201; decoded the 600 whole frames present',
    ]);
  });

  it('streams an hour of audio: memory stays bounded while every window is read', () => {
    // 8-bit unsigned mono at 16 kHz, one hour (57.6 MB; the model's rate, so the test times decoding, not the
    // resampler, whose windows the tests above check): +0.5 in the first half of every second, −0.5 in the second
    const rate = 16000;
    const seconds = 3600;
    const hourPath = join(folder, 'hour.wav');
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.writeUInt32LE(36 + rate * seconds, 4);
    header.write('WAVEfmt ', 8);
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20); // PCM
    header.writeUInt16LE(1, 22); // mono
    header.writeUInt32LE(rate, 24);
    header.writeUInt32LE(rate, 28); // bytes per second
    header.writeUInt16LE(1, 32); // block align
    header.writeUInt16LE(8, 34);
    header.write('data', 36);
    header.writeUInt32LE(rate * seconds, 40);
    const second = Buffer.alloc(rate, 192);
    second.fill(64, rate / 2);
    const descriptor = openSync(hourPath, 'w');
    writeSync(descriptor, header);
    for (let s = 0; s < seconds; s++) writeSync(descriptor, second);
    closeSync(descriptor);

    const liveBuffers = (): number => {
      collectGarbage();
      return process.memoryUsage().arrayBuffers;
    };
    const before = liveBuffers();
    const audio = openSpeechAudio('transcribe', hourPath, 16000);
    expect(audio.durationSeconds).toBe(seconds);
    const window = 30 * 16000; // the whole hour as 16 kHz floats would be 230 MB
    let peak = 0;
    let read = 0;
    for (let start = 0; start < audio.length; start += window) {
      const samples = audio.read(start, window);
      read += samples.length;
      if ((start / window) % 10 === 0) peak = Math.max(peak, liveBuffers() - before);
    }
    expect(read).toBe(seconds * 16000);
    expect(peak).toBeLessThan(12 * 2 ** 20);
    // the last second still holds the square wave, away from its edges
    const last = audio.read((seconds - 1) * 16000, 16000);
    for (const [from, to, level] of [
      [800, 7200, 0.5],
      [8800, 15200, -0.5],
    ] as const) {
      for (const value of last.subarray(from, to)) expect(value).toBeCloseTo(level, 3);
    }
    audio.close();
  });

  it('refuses a large file that is not a WAV from its first bytes, without reading it whole', () => {
    const mp3 = join(folder, 'song.mp3');
    writeFileSync(mp3, Buffer.from('ID3\u0004\u0000'));
    truncateSync(mp3, 256 * 2 ** 20); // 256 MiB, sparse
    collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    const { message } = attnErrorOf(() => openSpeechAudio('transcribe', mp3, 16000));
    expect(message).toMatch(/^decodeWav\(\): input is not a WAV file/);
    expect(message).toContain(`got ${256 * 2 ** 20} bytes`); // the file's size, not the prefix read
    // measured before any collection: a whole read would still count its 256 MiB here
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 2 ** 20);
  });

  it('rejects other inputs, hand-built audio with unequal channels, and checks hand-built samples as it reads', () => {
    expect(() => openSpeechAudio('transcribe', 42 as unknown as string, 16000)).toThrow(
      /^transcribe\(\): audio must be a WAV file path, WAV bytes, a Float32Array of mono samples at 16000 Hz/,
    );
    const unequal = {
      sampleRate: 16000,
      channels: 2,
      samples: [new Float32Array(4), new Float32Array(3)],
      durationSeconds: 0,
      warnings: [],
    };
    expect(() => openSpeechAudio('transcribe', unequal, 16000)).toThrow(/audio must be/);
    expect(
      attnErrorOf(() => openSpeechAudio('transcribe', '/nonexistent/speech.wav', 16000)).message,
    ).toMatch(
      /^transcribe\(\): audio must be the path of a readable WAV file, got '\/nonexistent\/speech.wav' \(ENOENT\)/,
    );
    const withNaN = new Float32Array(100).fill(0.5);
    withNaN[70] = Number.NaN;
    const handBuilt = {
      sampleRate: 16000,
      channels: 1,
      samples: [withNaN],
      durationSeconds: 100 / 16000,
      warnings: [],
    };
    const audio = openSpeechAudio('transcribe', handBuilt, 16000);
    expect(audio.read(0, 50).length).toBe(50);
    expect(() => audio.read(50, 50)).toThrow(/sample 20 of channel 0 is NaN/);
  });
});
