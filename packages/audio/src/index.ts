// @attn/audio: WAV decoding, resampling, Whisper's log-mel features, and transcribe() with word timestamps
// from cross-attention.
export { type DecodedAudio, minSampleRate, maxSampleRate } from './io/decoded-audio.js';
export { decodeWav } from './io/decode-wav.js';
export { audioFromSamples } from './io/audio-from-samples.js';
export { downmix } from './io/downmix.js';
export { resample } from './resample/resample.js';
export { createFftPlan, fft, type FftPlan } from './features/fft.js';
export { melFilterbank } from './features/mel-filterbank.js';
export { whisperLogMel, type WhisperLogMelOptions } from './features/whisper-log-mel.js';
export {
  transcribe,
  type TranscribeOptions,
  type Transcription,
  type TranscribedWord,
} from './transcribe/transcribe.js';
export { type TranscriptSegment } from './transcribe/merge-windows.js';
export { type SpeechInput } from './transcribe/speech-audio.js';
export {
  defaultSpeechModel,
  disposeSpeechModels,
  type SpeechModelSource,
} from './transcribe/speech-model.js';
export { type AlignmentHead, type WhisperTask } from './transcribe/whisper-settings.js';
export {
  renderTranscriptionPng,
  type TranscriptionPngOptions,
} from './transcribe/render-transcription-png.js';

// The one error class of every attn package (from @attn/core-attention), so that catching it needs no other import.
export { AttnError, type AttnErrorCode } from '@attn/core-attention';
