// A WAV file read window by window, so that an hour of audio never sits in memory as floats: the header is
// checked once by decodeWav, then each window's bytes are read from the file (or sliced from the buffer) and
// decoded by decodeWav under a copy of the header whose data chunk holds just those bytes.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AttnError, describeValue, invalidArgument } from '@attn/core-attention';
import { expectFiniteSamples } from '../io/decoded-audio.js';
import { decodeWav, waveContainer } from '../io/decode-wav.js';
import { findWaveChunks } from '../io/riff-chunks.js';

/** Multichannel frames at the source's rate, read a range at a time. */
export interface FrameSource {
  readonly sampleRate: number;
  readonly channels: number;
  /** Frames (samples per channel) in the whole source. */
  readonly frames: number;
  /** What decoding repaired (e.g. a data chunk longer than the file). */
  readonly warnings: readonly string[];
  /** Frames [start, start + count) of every channel; the arrays may be views into the source. */
  read(start: number, count: number): Float32Array[];
  close(): void;
}

/** The header must lie in this prefix (it nearly always fits in a few hundred bytes); else the file is decoded whole. */
const headerLimit = 1 << 20;

interface ByteSource {
  size: number;
  read(position: number, length: number): Uint8Array;
  close(): void;
}

/**
 * Opens a WAV path or WAV bytes for windowed reading. Errors are decodeWav's (not a WAV, damaged header,
 * unsupported encoding, absurd rate, no samples) and, when a window is read, its non-finite float samples.
 *
 * @example
 * ```ts
 * const wav = openWavFrames('transcribe', 'lecture.wav'); // one hour of 16-bit stereo at 44.1 kHz
 * wav.frames; // 158760000
 * wav.read(44100, 4410)[1].length; // 4410: channel 1 from 1 s to 1.1 s
 * wav.close();
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the path cannot be read; INPUT_FORMAT as decodeWav.
 */
export function openWavFrames(fn: string, input: string | Uint8Array): FrameSource {
  const bytes = byteSource(fn, input);
  try {
    return windowedWav(fn, bytes);
  } catch (error) {
    bytes.close();
    throw error;
  }
}

function windowedWav(fn: string, bytes: ByteSource): FrameSource {
  const prefix = bytes.read(0, Math.min(bytes.size, headerLimit));
  // refused from its first bytes when it is not a WAV, so a large MP3 is not read whole
  const littleEndian = waveContainer(prefix, bytes.size);
  const { format, data } = findWaveChunks(prefix, littleEndian);
  if (
    format === undefined ||
    data === undefined ||
    format.start + 16 > prefix.length ||
    data.start > prefix.length
  ) {
    // a header decodeWav rejects, or (rarely) chunks beyond the prefix: decode it whole
    const whole = decodeWav(bytes.read(0, bytes.size));
    bytes.close();
    return framesInMemory(fn, whole.sampleRate, whole.samples, whole.warnings, false);
  }
  const fields = new DataView(prefix.buffer, prefix.byteOffset + format.start, 16);
  const frameBytes =
    fields.getUint16(2, littleEndian) * Math.ceil(fields.getUint16(14, littleEndian) / 8);
  const presentSize = Math.min(data.declaredSize, bytes.size - data.start);
  const header = prefix.slice(0, data.start);
  /** A WAV holding the data bytes [from, from + length) under this file's header. */
  const wavOf = (from: number, length: number): Uint8Array => {
    const wav = new Uint8Array(header.length + length);
    wav.set(header);
    new DataView(wav.buffer).setUint32(header.length - 4, length, littleEndian);
    wav.set(bytes.read(data.start + from, length), header.length);
    return wav;
  };
  // decodeWav checks the header on the first frame (or on none: "holds no samples")
  const probe = decodeWav(wavOf(0, Math.min(presentSize, frameBytes)));
  const frames = Math.floor(presentSize / frameBytes);
  const warnings =
    data.declaredSize > presentSize
      ? [
          `the data chunk declares ${data.declaredSize} bytes but the file holds ${presentSize}; decoded the ${frames} whole frames present`,
        ]
      : [];
  return {
    sampleRate: probe.sampleRate,
    channels: probe.channels,
    frames,
    warnings,
    read(start, count) {
      const first = Math.max(0, Math.min(frames, start));
      const length = Math.max(0, Math.min(frames, start + count) - first);
      if (length === 0) return Array.from({ length: probe.channels }, () => new Float32Array(0));
      try {
        return decodeWav(wavOf(first * frameBytes, length * frameBytes)).samples;
      } catch (error) {
        throw inWindow(fn, error, first, first + length, probe.sampleRate);
      }
    },
    close: () => bytes.close(),
  };
}

/**
 * Frames already in memory (one array per channel) as a {@link FrameSource}; with `checkFinite` each window read
 * is scanned for NaN and infinite samples (audio built by hand).
 *
 * @example
 * ```ts
 * framesInMemory('transcribe', 16000, [new Float32Array(32000)], [], false).read(16000, 160)[0].length; // 160
 * ```
 * @throws {AttnError} INPUT_FORMAT, when a window is read, for a non-finite sample in it (with `checkFinite`).
 */
export function framesInMemory(
  fn: string,
  sampleRate: number,
  samples: readonly Float32Array[],
  warnings: readonly string[],
  checkFinite: boolean,
): FrameSource {
  const frames = (samples[0] as Float32Array).length;
  return {
    sampleRate,
    channels: samples.length,
    frames,
    warnings,
    read(start, count) {
      const first = Math.max(0, Math.min(frames, start));
      const end = Math.max(first, Math.min(frames, start + count));
      return samples.map((channel, index) => {
        const window = channel.subarray(first, end);
        try {
          if (checkFinite) expectFiniteSamples(fn, window, index);
        } catch (error) {
          throw inWindow(fn, error, first, end, sampleRate);
        }
        return window;
      });
    },
    close() {},
  };
}

/** An error met while reading frames [first, end), re-thrown with the window's place in the audio. */
function inWindow(
  fn: string,
  error: unknown,
  first: number,
  end: number,
  sampleRate: number,
): unknown {
  if (!AttnError.is(error)) return error;
  const at = (frame: number): string => (frame / sampleRate).toFixed(3);
  return new AttnError(
    error.code,
    `${fn}(): in the audio from ${at(first)} s to ${at(end)} s (sample indices below count from there): ${error.message}`,
    { cause: error },
  );
}

function byteSource(fn: string, input: string | Uint8Array): ByteSource {
  if (input instanceof Uint8Array)
    return {
      size: input.length,
      read: (position, length) => input.subarray(position, position + length),
      close() {},
    };
  let descriptor: number;
  try {
    descriptor = openSync(input, 'r');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw invalidArgument(
      fn,
      'audio',
      'the path of a readable WAV file',
      `${describeValue(input)} (${reason})`,
      {
        likelyCause: 'the path is misspelled or relative to a different working directory',
        fix: 'pass an absolute path to an existing .wav file, or its bytes',
        cause,
      },
    );
  }
  const stats = fstatSync(descriptor);
  if (!stats.isFile()) {
    closeSync(descriptor);
    throw invalidArgument(
      fn,
      'audio',
      'the path of a WAV file',
      `${describeValue(input)} (not a file)`,
    );
  }
  let open = true;
  return {
    size: stats.size,
    read(position, length) {
      const buffer = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const got = readSync(descriptor, buffer, filled, length - filled, position + filled);
        if (got === 0) break;
        filled += got;
      }
      return buffer.subarray(0, filled);
    },
    close() {
      if (open) closeSync(descriptor);
      open = false;
    },
  };
}
