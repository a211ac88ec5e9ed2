// WAV decoding (RIFF / RIFX WAVE, Microsoft's multimedia format spec and WAVE_FORMAT_EXTENSIBLE):
// wavefile parses the format chunk and expands µ-law / A-law; chunks are located and sample bytes
// converted here, so a data chunk that claims more bytes than the file holds, or extensible float data,
// decode correctly.
import { readFileSync } from 'node:fs';
import { AttnError, describeValue, invalidArgument } from '@attn/core-attention';
import wavefile from 'wavefile';
import {
  expectFiniteSamples,
  isSupportedSampleRate,
  maxSampleRate,
  minSampleRate,
  type DecodedAudio,
} from './decoded-audio.js';
import { findWaveChunks, type ChunkLocation } from './riff-chunks.js';

const fn = 'decodeWav';
const convertFix =
  'convert it to PCM, e.g. `ffmpeg -i input -ac 1 -ar 16000 -c:a pcm_s16le output.wav`';

/** The wavefile fields read here (its typings declare the chunks as `object`). */
interface WaveFields {
  container: string;
  fmt: {
    audioFormat: number;
    numChannels: number;
    sampleRate: number;
    bitsPerSample: number;
    subformat: number[];
  };
  data: { samples: Uint8Array };
}

type Encoding = 'unsigned8' | 'signed' | 'float' | 'mulaw' | 'alaw';

/**
 * Decodes a WAV file (a path, or its bytes as a Buffer / Uint8Array) into float samples per channel.
 *
 * Integer PCM (8-bit unsigned; 16-, 24-, 32-bit and other widths signed, left-justified as the spec
 * stores them) is scaled by 2^(bits − 1) into [-1, 1); IEEE float 32 / 64 is returned as stored (not
 * clipped); µ-law and A-law are expanded. WAVE_FORMAT_EXTENSIBLE is read by its sub-format.
 * A data chunk that declares more bytes than the file holds (a cut-off download, a stream whose size
 * was never patched) is decoded up to the last whole frame, and `warnings` says so.
 *
 * @example
 * ```ts
 * const audio = decodeWav('speech.wav'); // 16-bit stereo at 44.1 kHz, 2 s
 * audio.sampleRate; // 44100
 * audio.channels; // 2
 * audio.samples[0].length; // 88200
 * audio.durationSeconds; // 2
 * audio.warnings; // []
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `input` is not a string or bytes, or the path cannot be read.
 * @throws {AttnError} INPUT_FORMAT when the bytes are not a RIFF/RIFX WAVE file, the header is truncated,
 * the encoding is not PCM, float, µ-law or A-law, the channel count or sample rate
 * (outside 1 kHz–768 kHz) is absurd, there are no samples, or a float sample is NaN or infinite.
 */
export function decodeWav(input: string | Uint8Array): DecodedAudio {
  const bytes = readInput(input);
  const { wav, data } = parseWave(bytes);
  const { numChannels: channels, sampleRate, bitsPerSample } = wav.fmt;
  const encoding = encodingOf(wav.fmt);
  if (!(Number.isInteger(channels) && channels >= 1))
    throw badHeader(`it declares ${describeValue(channels)} channels`);
  if (!isSupportedSampleRate(sampleRate))
    throw badHeader(
      `its sample rate ${describeValue(sampleRate)} Hz is outside ${minSampleRate}–${maxSampleRate} Hz`,
    );
  const bytesPerSample =
    encoding === 'mulaw' || encoding === 'alaw' ? 1 : Math.ceil(bitsPerSample / 8);
  const frameBytes = channels * bytesPerSample;
  const frames = Math.floor(data.presentSize / frameBytes);
  const warnings: string[] = [];
  if (data.declaredSize > data.presentSize)
    warnings.push(
      `the data chunk declares ${data.declaredSize} bytes but the file holds ${data.presentSize}; decoded the ${frames} whole frames present`,
    );
  if (frames === 0)
    throw new AttnError('INPUT_FORMAT', `${fn}(): the WAV file holds no samples`, {
      likelyCause: 'the recording is empty or was cut off right after its header',
      fix: 'pass a WAV file that contains audio',
    });

  wav.data.samples = bytes.subarray(data.start, data.start + frames * frameBytes);
  const littleEndian = wav.container !== 'RIFX';
  const samples =
    encoding === 'mulaw' || encoding === 'alaw'
      ? expandCompanded(wav, encoding, channels, frames, littleEndian)
      : readSamples(wav.data.samples, encoding, bytesPerSample, channels, frames, littleEndian);
  if (encoding === 'float')
    samples.forEach((channel, index) => expectFiniteSamples(fn, channel, index));
  return { sampleRate, channels, samples, durationSeconds: frames / sampleRate, warnings };
}

function readInput(input: string | Uint8Array): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (typeof input !== 'string')
    throw invalidArgument(
      fn,
      'input',
      'a file path, a Buffer or a Uint8Array',
      describeValue(input),
    );
  try {
    return readFileSync(input);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw invalidArgument(
      fn,
      'input',
      'the path of a readable WAV file',
      `${describeValue(input)} (${reason})`,
      {
        likelyCause: 'the path is misspelled or relative to a different working directory',
        fix: 'pass an absolute path to an existing .wav file, or its bytes',
        cause,
      },
    );
  }
}

/**
 * Whether a file of `size` bytes that starts with `head` is a WAV container; true for little-endian RIFF, false for
 * big-endian RIFX. A file read in windows is checked from its first bytes, before any more is read.
 *
 * @example
 * ```ts
 * waveContainer(bytes.subarray(0, 12), bytes.length); // true for a RIFF … WAVE file
 * ```
 * @throws {AttnError} INPUT_FORMAT for RF64 and for anything but RIFF / RIFX … WAVE.
 */
export function waveContainer(head: Uint8Array, size: number): boolean {
  const container = String.fromCharCode(...head.subarray(0, 4));
  const form = String.fromCharCode(...head.subarray(8, 12));
  if (container === 'RF64')
    throw new AttnError('INPUT_FORMAT', `${fn}(): RF64 (WAV over 4 GB) is not supported`, {
      fix: convertFix,
    });
  if ((container !== 'RIFF' && container !== 'RIFX') || form !== 'WAVE')
    throw new AttnError(
      'INPUT_FORMAT',
      `${fn}(): input is not a WAV file: it must start with 'RIFF' … 'WAVE', got ${size} bytes starting ${describeValue(container + form)}`,
      { likelyCause: 'the file is another format (mp3, flac, ogg) or not audio', fix: convertFix },
    );
  return container === 'RIFF';
}

/** The format through wavefile, and where the data chunk is. */
function parseWave(bytes: Uint8Array): { wav: WaveFields; data: ChunkLocation } {
  const littleEndian = waveContainer(bytes, bytes.length);
  const { format, data } = findWaveChunks(bytes, littleEndian);
  if (format === undefined) throw badHeader("it has no 'fmt ' chunk");
  if (format.presentSize < 16)
    throw badHeader(
      `its 'fmt ' chunk holds ${format.presentSize} bytes, not the 16 or more it needs`,
    );
  if (data === undefined) throw badHeader("it has no 'data' chunk");
  // wavefile reads the format from a copy of the header holding only that chunk and an empty data chunk.
  const size = format.presentSize + (format.presentSize % 2);
  const header = new Uint8Array(12 + 8 + size + 8);
  const view = new DataView(header.buffer);
  header.set(bytes.subarray(0, 12));
  view.setUint32(4, header.length - 8, littleEndian);
  header.set(bytes.subarray(format.start - 8, format.start + format.presentSize), 12);
  view.setUint32(16, format.presentSize, littleEndian);
  header.set([0x64, 0x61, 0x74, 0x61], 20 + size); // 'data', size 0
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(header);
  } catch (cause) {
    throw badHeader(`${(cause as Error).message.replace(/\.$/, '')}`, cause);
  }
  return { wav: wav as unknown as WaveFields, data };
}

function encodingOf(format: WaveFields['fmt']): Encoding {
  // WAVE_FORMAT_EXTENSIBLE (0xFFFE) keeps the real format code in the first field of its sub-format GUID.
  const code = format.audioFormat === 0xfffe ? (format.subformat[0] ?? 0) : format.audioFormat;
  const bits = format.bitsPerSample;
  if (code === 1 && bits === 8) return 'unsigned8';
  if (code === 1 && bits > 8 && bits <= 32) return 'signed';
  if (code === 3 && (bits === 32 || bits === 64)) return 'float';
  if (code === 7 && bits === 8) return 'mulaw';
  if (code === 6 && bits === 8) return 'alaw';
  throw new AttnError(
    'INPUT_FORMAT',
    `${fn}(): WAV encoding ${describeValue(code)} with ${describeValue(bits)} bits per sample is not supported; ` +
      'supported are PCM (format 1, 8–32 bits), IEEE float (3, 32 or 64 bits), A-law (6) and µ-law (7) at 8 bits',
    {
      likelyCause: 'the file is compressed (e.g. ADPCM) or its header is damaged',
      fix: convertFix,
    },
  );
}

function readSamples(
  bytes: Uint8Array,
  encoding: 'unsigned8' | 'signed' | 'float',
  bytesPerSample: number,
  channels: number,
  frames: number,
  littleEndian: boolean,
): Float32Array[] {
  const read = sampleReader(
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    encoding,
    bytesPerSample,
    littleEndian,
  );
  const samples = Array.from({ length: channels }, () => new Float32Array(frames));
  const frameBytes = channels * bytesPerSample;
  for (let c = 0; c < channels; c++) {
    const channel = samples[c] as Float32Array;
    for (let t = 0, at = c * bytesPerSample; t < frames; t++, at += frameBytes)
      channel[t] = read(at);
  }
  return samples;
}

/** The function that reads one sample at a byte offset, as a float (integers scaled by 2^(bits − 1)). */
function sampleReader(
  view: DataView,
  encoding: 'unsigned8' | 'signed' | 'float',
  bytesPerSample: number,
  littleEndian: boolean,
): (at: number) => number {
  if (encoding === 'unsigned8') return (at) => (view.getUint8(at) - 128) / 128; // 128 is silence
  if (encoding === 'float')
    return bytesPerSample === 4
      ? (at) => view.getFloat32(at, littleEndian)
      : (at) => view.getFloat64(at, littleEndian);
  if (bytesPerSample === 2) return (at) => view.getInt16(at, littleEndian) / 32768;
  if (bytesPerSample === 4) return (at) => view.getInt32(at, littleEndian) / 2147483648;
  // 24 bits: the high two bytes as a signed 16-bit integer, then the low byte.
  return littleEndian
    ? (at) => (view.getInt16(at + 1, true) * 256 + view.getUint8(at)) / 8388608
    : (at) => (view.getInt16(at, false) * 256 + view.getUint8(at + 2)) / 8388608;
}

/** µ-law / A-law bytes expanded to 16-bit PCM by wavefile, then scaled like any 16-bit file. */
function expandCompanded(
  wav: WaveFields,
  encoding: 'mulaw' | 'alaw',
  channels: number,
  frames: number,
  littleEndian: boolean,
): Float32Array[] {
  const file = wav as unknown as InstanceType<typeof wavefile.WaveFile>;
  try {
    if (encoding === 'mulaw') file.fromMuLaw();
    else file.fromALaw();
  } catch (cause) {
    throw badHeader(`its ${encoding} data cannot be expanded (${(cause as Error).message})`, cause);
  }
  return readSamples(wav.data.samples, 'signed', 2, channels, frames, littleEndian);
}

function badHeader(reason: string, cause?: unknown): AttnError {
  return new AttnError(
    'INPUT_FORMAT',
    `${fn}(): the WAV header is damaged or truncated: ${reason}`,
    {
      likelyCause: 'the file was cut off or written by a faulty encoder',
      fix: 're-export or re-download the file',
      cause,
    },
  );
}
