// A WAV for tests that need audio: a gliding tone as 16-bit PCM mono at 16 kHz (RIFF/WAVE, canonical 44-byte header).

/**
 * `seconds` of a gliding tone (180 ± 60 Hz) as a 16-bit PCM mono WAV at 16 kHz, speech-like enough for a random
 * Whisper fixture to write words.
 *
 * @example
 * ```ts
 * toneWav(1).length; // 44 + 32000
 * ```
 */
export function toneWav(seconds: number): Buffer {
  const frames = Math.round(seconds * 16000);
  const wav = Buffer.alloc(44 + 2 * frames);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + 2 * frames, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(16000, 24);
  wav.writeUInt32LE(32000, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(2 * frames, 40);
  for (let t = 0; t < frames; t++) {
    const time = t / 16000;
    const sample = 0.3 * Math.sin(2 * Math.PI * (180 + 60 * Math.sin(3 * time)) * time);
    wav.writeInt16LE(Math.round(sample * 32767), 44 + 2 * t);
  }
  return wav;
}
