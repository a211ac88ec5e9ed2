import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttnError } from '@attn/core-attention';
import { expectClose, randomInt, seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { decodeWav, downmix } from '../index.js';

type Encoding = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64';
const widths: Record<Encoding, number> = { u8: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8 };

interface WavOptions {
  formatTag?: number;
  channels: number;
  sampleRate?: number;
  bitsPerSample: number;
  data: Uint8Array;
  /** WAVE_FORMAT_EXTENSIBLE: the sub-format code and the valid bits per sample. */
  extensible?: { subformat: number; validBits: number };
  /** The data chunk size written in the header (default: the real size). */
  declaredDataSize?: number;
}

/** A little-endian RIFF WAVE file written by hand, independent of wavefile's writer. */
function wavBytes(options: WavOptions): Buffer {
  const { channels, sampleRate = 16000, bitsPerSample, data, extensible } = options;
  const fmt = Buffer.alloc(extensible === undefined ? 16 : 40);
  const blockAlign = (channels * bitsPerSample) / 8;
  fmt.writeUInt16LE(extensible === undefined ? (options.formatTag ?? 1) : 0xfffe, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE((sampleRate * blockAlign) % 2 ** 32, 8); // byte rate: nobody reads it
  fmt.writeUInt16LE(blockAlign, 12);
  fmt.writeUInt16LE(bitsPerSample, 14);
  if (extensible !== undefined) {
    fmt.writeUInt16LE(22, 16); // cbSize
    fmt.writeUInt16LE(extensible.validBits, 18);
    fmt.writeUInt32LE(0, 20); // channel mask
    // GUID {0000000X-0000-0010-8000-00aa00389b71}, X = format code
    Buffer.from('000000000000100080000000aa00389b71'.slice(0, 28), 'hex').copy(fmt, 28);
    fmt.writeUInt32LE(extensible.subformat, 24);
  }
  const header = Buffer.alloc(12);
  header.write('RIFF', 0);
  header.writeUInt32LE(4 + 8 + fmt.length + 8 + data.length, 4);
  header.write('WAVE', 8);
  const chunk = (id: string, size: number): Buffer => {
    const head = Buffer.alloc(8);
    head.write(id, 0);
    head.writeUInt32LE(size, 4);
    return head;
  };
  const pad = data.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([
    header,
    chunk('fmt ', fmt.length),
    fmt,
    chunk('data', options.declaredDataSize ?? data.length),
    data,
    pad,
  ]);
}

/** Interleaves channels and quantises: integers to round(x · 2^(bits−1)) clamped, 8-bit offset by 128. */
function encodeSamples(channels: number[][], encoding: Encoding): Uint8Array {
  const width = widths[encoding];
  const frames = (channels[0] as number[]).length;
  const bytes = Buffer.alloc(frames * channels.length * width);
  let at = 0;
  for (let t = 0; t < frames; t++) {
    for (const channel of channels) {
      const x = channel[t] as number;
      const quantise = (bits: number): number =>
        Math.max(
          -(2 ** (bits - 1)),
          Math.min(2 ** (bits - 1) - 1, Math.round(x * 2 ** (bits - 1))),
        );
      if (encoding === 'u8') bytes.writeUInt8(quantise(8) + 128, at);
      else if (encoding === 's16') bytes.writeInt16LE(quantise(16), at);
      else if (encoding === 's24') bytes.writeIntLE(quantise(24), at, 3);
      else if (encoding === 's32') bytes.writeInt32LE(quantise(32), at);
      else if (encoding === 'f32') bytes.writeFloatLE(x, at);
      else bytes.writeDoubleLE(x, at);
      at += width;
    }
  }
  return bytes;
}

function randomChannels(seed: number, channels: number, frames: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: channels }, () =>
    Array.from({ length: frames }, () => 1.98 * random() - 0.99),
  );
}

/** The AttnError `action` throws; fails the test when it returns or throws anything else. */
function attnErrorOf(action: () => unknown): AttnError {
  try {
    action();
  } catch (error) {
    if (AttnError.is(error)) return error;
    throw new Error(`expected an AttnError, got ${String(error)}`);
  }
  throw new Error('expected an AttnError, but nothing was thrown');
}

describe('decodeWav: round trips', () => {
  const cases: { encoding: Encoding; format: number; bits: number; step: number }[] = [
    // step = one quantisation level; rounding leaves at most half of it
    { encoding: 'u8', format: 1, bits: 8, step: 2 ** -7 },
    { encoding: 's16', format: 1, bits: 16, step: 2 ** -15 },
    { encoding: 's24', format: 1, bits: 24, step: 2 ** -23 },
    { encoding: 's32', format: 1, bits: 32, step: 2 ** -31 },
    { encoding: 'f32', format: 3, bits: 32, step: 0 },
    { encoding: 'f64', format: 3, bits: 64, step: 0 },
  ];
  for (const { encoding, format, bits, step } of cases) {
    it(`decodes ${encoding} stereo within half a quantisation step`, () => {
      const channels = randomChannels(bits + format, 2, 301);
      const audio = decodeWav(
        wavBytes({
          formatTag: format,
          channels: 2,
          sampleRate: 22050,
          bitsPerSample: bits,
          data: encodeSamples(channels, encoding),
        }),
      );
      expect(audio).toMatchObject({ sampleRate: 22050, channels: 2, warnings: [] });
      expect(audio.durationSeconds).toBeCloseTo(301 / 22050, 12);
      // float32 storage adds up to 2^-24 relative on top of the quantisation
      const atol = step / 2 + 2 ** -24;
      for (let c = 0; c < 2; c++)
        expectClose(audio.samples[c] as Float32Array, channels[c] as number[], { atol, rtol: 0 });
    });
  }

  it('maps 8-bit unsigned 0, 128 and 255 to -1, 0 and 127/128', () => {
    const audio = decodeWav(
      wavBytes({ channels: 1, bitsPerSample: 8, data: new Uint8Array([0, 128, 255]) }),
    );
    // odd data size: the pad byte after the chunk is not a sample
    expect([...(audio.samples[0] as Float32Array)]).toEqual([-1, 0, 127 / 128]);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE: 24 valid bits in 32-bit containers, and float with 3 channels', () => {
    const channels = randomChannels(5, 3, 50);
    const integerBytes = new DataView(new ArrayBuffer(3 * 50 * 4));
    channels.forEach((channel, c) =>
      channel.forEach((x, t) =>
        // 24-bit value left-justified in 32 bits, as the extensible format stores it
        integerBytes.setInt32((t * 3 + c) * 4, Math.round(x * 2 ** 23) * 256, true),
      ),
    );
    const integers = decodeWav(
      wavBytes({
        channels: 3,
        bitsPerSample: 32,
        data: new Uint8Array(integerBytes.buffer),
        extensible: { subformat: 1, validBits: 24 },
      }),
    );
    for (let c = 0; c < 3; c++)
      expectClose(integers.samples[c] as Float32Array, channels[c] as number[], {
        atol: 2 ** -24 + 2 ** -24,
        rtol: 0,
      });

    const floats = decodeWav(
      wavBytes({
        channels: 3,
        bitsPerSample: 32,
        data: encodeSamples(channels, 'f32'),
        extensible: { subformat: 3, validBits: 32 },
      }),
    );
    for (let c = 0; c < 3; c++)
      expectClose(floats.samples[c] as Float32Array, channels[c] as number[], {
        atol: 2 ** -24,
        rtol: 0,
      });
  });

  it("agrees with wavefile's own writer, RIFF and big-endian RIFX", () => {
    const channels = randomChannels(9, 2, 40).map((channel) =>
      channel.map((x) => Math.round(x * 32767)),
    );
    for (const container of ['RIFF', 'RIFX']) {
      const file = new wavefile.WaveFile();
      file.fromScratch(2, 48000, '16', channels, { container });
      const audio = decodeWav(file.toBuffer());
      expect(audio.sampleRate).toBe(48000);
      for (let c = 0; c < 2; c++)
        expect([...(audio.samples[c] as Float32Array)]).toEqual(
          (channels[c] as number[]).map((q) => q / 32768),
        );
    }
  });

  it('expands µ-law and A-law as G.711 tabulates', () => {
    // µ-law: ~byte = sign | exponent (3 bits) | mantissa (4); |x| = ((mantissa·8 + 132) << exponent) − 132:
    // 0xFF -> 0, 0x80 -> +((15·8 + 132) << 7) − 132 = 32124, 0x00 -> −32124.
    // A-law: byte ^ 0x55, sign bit set = positive; exponent 0: 16·mantissa + 8, else (16·mantissa + 264) << (e − 1):
    // 0xD5 -> +8, 0x55 -> −8, 0xAA -> +(504 << 6) = 32256, 0x2A -> −32256.
    const mulaw = decodeWav(
      wavBytes({
        formatTag: 7,
        channels: 1,
        bitsPerSample: 8,
        data: new Uint8Array([0xff, 0x80, 0x00]),
      }),
    );
    expect([...(mulaw.samples[0] as Float32Array)]).toEqual([0, 32124 / 32768, -32124 / 32768]);
    const alaw = decodeWav(
      wavBytes({
        formatTag: 6,
        channels: 2,
        bitsPerSample: 8,
        data: new Uint8Array([0xd5, 0x55, 0xaa, 0x2a]),
      }),
    );
    expect(alaw.samples.map((channel) => [...channel])).toEqual([
      [8 / 32768, 32256 / 32768],
      [-8 / 32768, -32256 / 32768],
    ]);
  });

  it('reads a path, and four channels down-mix to their mean', () => {
    const channels = randomChannels(13, 4, 64);
    const path = join(mkdtempSync(join(tmpdir(), 'attn-audio-')), 'four.wav');
    writeFileSync(
      path,
      wavBytes({
        formatTag: 3,
        channels: 4,
        bitsPerSample: 32,
        data: encodeSamples(channels, 'f32'),
      }),
    );
    const audio = decodeWav(path);
    expect(audio.channels).toBe(4);
    const mean = Array.from(
      { length: 64 },
      (_, t) => channels.reduce((sum, channel) => sum + Math.fround(channel[t] as number), 0) / 4,
    );
    expectClose(downmix(audio.samples), mean, { atol: 1e-7, rtol: 0 });
  });
});

describe('decodeWav: bad input', () => {
  const good = wavBytes({
    channels: 1,
    bitsPerSample: 16,
    data: encodeSamples([[0.1, 0.2, 0.3, 0.4]], 's16'),
  });

  it('decodes the whole frames of a data chunk that claims more bytes than the file holds, and warns', () => {
    const data = encodeSamples([Array.from({ length: 50 }, (_, t) => t / 100)], 's16');
    const audio = decodeWav(
      wavBytes({ channels: 1, bitsPerSample: 16, data, declaredDataSize: 1000 }),
    );
    expect(audio.samples[0]).toHaveLength(50);
    expect(audio.warnings).toEqual([
      'the data chunk declares 1000 bytes but the file holds 100; decoded the 50 whole frames present',
    ]);
    // a cut in the middle of a frame drops the partial frame: 7 bytes of 16-bit stereo = 1 frame
    const cut = wavBytes({ channels: 2, bitsPerSample: 16, data: new Uint8Array(8) }).subarray(
      0,
      44 + 7,
    );
    expect(decodeWav(cut).samples[0]).toHaveLength(1);
  });

  it('rejects empty, random and non-WAV bytes with INPUT_FORMAT', () => {
    expect(attnErrorOf(() => decodeWav(new Uint8Array(0))).message).toMatch(
      /^decodeWav\(\): input is not a WAV file: it must start with 'RIFF' … 'WAVE', got 0 bytes/,
    );
    const random = seededRandom(3);
    const noise = Uint8Array.from({ length: 1000 }, () => randomInt(random, 0, 256));
    expect(attnErrorOf(() => decodeWav(noise)).code).toBe('INPUT_FORMAT');
    expect(attnErrorOf(() => decodeWav(Buffer.from('ID3\u0003 an mp3 file'))).code).toBe(
      'INPUT_FORMAT',
    );
    const rf64 = Buffer.from(good);
    rf64.write('RF64', 0);
    expect(attnErrorOf(() => decodeWav(rf64)).message).toContain(
      'RF64 (WAV over 4 GB) is not supported',
    );
  });

  it('rejects a truncated header and a file with no samples', () => {
    // 12 bytes: 'RIFF' size 'WAVE' only; 20: the fmt chunk header, none of its 16 bytes; 36: the whole
    // fmt chunk; 40: 'data' without its size
    for (const [length, reason] of [
      [12, "it has no 'fmt ' chunk"],
      [20, "its 'fmt ' chunk holds 0 bytes, not the 16 or more it needs"],
      [36, "it has no 'data' chunk"],
      [40, "it has no 'data' chunk"],
    ] as const) {
      const error = attnErrorOf(() => decodeWav(good.subarray(0, length)));
      expect(error.code).toBe('INPUT_FORMAT');
      expect(error.message).toMatch(
        `decodeWav(): the WAV header is damaged or truncated: ${reason}.`,
      );
    }
    expect(attnErrorOf(() => decodeWav(good.subarray(0, 44))).message).toBe(
      'decodeWav(): the WAV file holds no samples. Likely cause: the recording is empty or was cut off right after its header. Fix: pass a WAV file that contains audio.',
    );
    expect(
      attnErrorOf(() =>
        decodeWav(wavBytes({ channels: 1, bitsPerSample: 16, data: new Uint8Array(0) })),
      ).code,
    ).toBe('INPUT_FORMAT');
  });

  it('skips metadata chunks, and walks thousands of nested LIST chunks in linear time', () => {
    const list = (size: number): Buffer => {
      const chunk = Buffer.alloc(8 + size);
      chunk.write('LIST', 0);
      chunk.writeUInt32LE(size, 4);
      chunk.write('INFO', 8);
      return chunk;
    };
    const fmtAndData = good.subarray(12);
    const withMetadata = Buffer.concat([good.subarray(0, 12), list(4), list(4), fmtAndData]);
    expect(decodeWav(withMetadata).samples[0]).toEqual(decodeWav(good).samples[0]);
    // 5,000 LIST chunks of size 4: wavefile alone re-walks the rest of the file inside each (seconds)
    const bomb = Buffer.concat([
      good.subarray(0, 12),
      ...Array.from({ length: 5000 }, () => list(4)),
      fmtAndData,
    ]);
    const started = performance.now();
    expect(decodeWav(bomb).samples[0]).toHaveLength(4);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('rejects absurd sample rates and channel counts, and unsupported encodings', () => {
    const data = new Uint8Array(8);
    for (const sampleRate of [0, 999, 768001, 4_000_000_000])
      expect(
        attnErrorOf(() => decodeWav(wavBytes({ channels: 1, sampleRate, bitsPerSample: 16, data })))
          .message,
      ).toContain(`its sample rate ${sampleRate} Hz is outside 1000–768000 Hz`);
    expect(
      attnErrorOf(() => decodeWav(wavBytes({ channels: 0, bitsPerSample: 16, data }))).message,
    ).toContain('it declares 0 channels');
    expect(
      attnErrorOf(() => decodeWav(wavBytes({ formatTag: 17, channels: 1, bitsPerSample: 4, data })))
        .message,
    ).toContain('WAV encoding 17 with 4 bits per sample is not supported');
    expect(
      attnErrorOf(() => decodeWav(wavBytes({ formatTag: 3, channels: 1, bitsPerSample: 16, data })))
        .code,
    ).toBe('INPUT_FORMAT');
  });

  it('rejects NaN and infinite float samples, naming the first', () => {
    const data = encodeSamples(
      [
        [0, 0.5],
        [Number.NaN, Number.POSITIVE_INFINITY],
      ],
      'f32',
    );
    expect(
      attnErrorOf(() => decodeWav(wavBytes({ formatTag: 3, channels: 2, bitsPerSample: 32, data })))
        .message,
    ).toMatch(/^decodeWav\(\): sample 0 of channel 1 is NaN; audio samples must be finite numbers/);
  });

  it('rejects a missing path with INVALID_ARGUMENT and non-audio arguments', () => {
    const error = attnErrorOf(() => decodeWav('/nonexistent/speech.wav'));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(
      /^decodeWav\(\): input must be the path of a readable WAV file, got '\/nonexistent\/speech.wav' \(ENOENT\)/,
    );
    expect(attnErrorOf(() => decodeWav(42 as unknown as string)).message).toBe(
      'decodeWav(): input must be a file path, a Buffer or a Uint8Array, got 42.',
    );
  });

  it('gives a result or an AttnError, never another exception, on corrupted headers', () => {
    const random = seededRandom(17);
    const base = wavBytes({
      channels: 2,
      bitsPerSample: 24,
      data: encodeSamples(randomChannels(1, 2, 20), 's24'),
    });
    for (let trial = 0; trial < 300; trial++) {
      const bytes = Buffer.from(base.subarray(0, randomInt(random, 12, base.length + 1)));
      for (let flips = randomInt(random, 1, 4); flips > 0; flips--)
        bytes[randomInt(random, 12, Math.max(13, bytes.length))] = randomInt(random, 0, 256);
      try {
        const audio = decodeWav(bytes);
        expect(audio.samples[0]?.length).toBeGreaterThan(0);
      } catch (error) {
        expect(AttnError.is(error), String(error)).toBe(true);
      }
    }
  });
});
