// @attn/audio: WAV decoding, resampling and Whisper's log-mel features (the transcriber builds on these).
export { type DecodedAudio, minSampleRate, maxSampleRate } from './io/decoded-audio.js';
export { decodeWav } from './io/decode-wav.js';
export { audioFromSamples } from './io/audio-from-samples.js';
export { downmix } from './io/downmix.js';
export { resample } from './resample/resample.js';
export { createFftPlan, fft, type FftPlan } from './features/fft.js';
export { melFilterbank } from './features/mel-filterbank.js';
export { whisperLogMel, type WhisperLogMelOptions } from './features/whisper-log-mel.js';
