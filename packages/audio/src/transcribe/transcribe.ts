// transcribe(): speech in, text out with a start, end and confidence for every word, read off the decoder's
// cross-attention as Whisper does (alignment heads + DTW). Runs any Whisper export in the Hugging Face / Optimum
// layout, with or without attention outputs (the cross-attention is tapped); attn/whisper-espeak by default.
// Audio longer than one chunk is read and transcribed in overlapping windows, one at a time.
import {
  AttnError,
  describeValue,
  invalidArgument,
  type AttentionMaps,
} from '@attn/core-attention';
import { leadingPause, windowBounds, windowHandoff } from './window-plan.js';
import { mergeWindows, type TranscriptSegment, type WindowTranscript } from './merge-windows.js';
import { openSpeechAudio, type SpeechInput } from './speech-audio.js';
import { loadSpeechModel, type SpeechModelSource } from './speech-model.js';
import { transcribeWindow } from './transcribe-window.js';
import { whisperSettings, type AlignmentHead, type WhisperTask } from './whisper-settings.js';

export interface TranscribeOptions extends SpeechModelSource {
  /** Spoken language as a code of the model's `lang_to_id` ('en', 'de', …). Default 'en'. No detection. */
  language?: string;
  /** 'transcribe' (default) or 'translate' (into English). */
  task?: WhisperTask;
  /** Longest transcript per window, in tokens. Default max_target_positions / 2 (224), as openai/whisper. */
  maxNewTokens?: number;
  /** Beam width; 1 (default) is greedy. */
  numBeams?: number;
  /**
   * Long audio is read in windows of one chunk, cut at the longest pause after a window's first third. A window
   * without a pause ends at the quietest point of its last `overlapSeconds`, and the next starts at the quietest
   * point ½–1 × `overlapSeconds` before that end — or where the model stopped writing, if earlier, or just before
   * the next sentence when the transcript ended one and went on (README: Long audio). Under half the chunk. Default
   * a sixth of the chunk (5 s for 30 s chunks).
   */
  overlapSeconds?: number;
  /** Return the alignment heads' cross-attention (audio of one chunk only). Default true. */
  attention?: boolean;
  signal?: AbortSignal;
}

/** One transcribed word. */
export interface TranscribedWord {
  /** The word as written in `text`: punctuation attached, no surrounding white space. */
  word: string;
  /** Seconds from the start of the audio; start ≤ end ≤ the next word's start ≤ the audio's duration. */
  start: number;
  end: number;
  /** Mean probability of its tokens (softmax over text tokens of the raw logits), in [0, 1]. */
  confidence: number;
}

export interface Transcription {
  text: string;
  /** The language the model was prompted with; undefined for English-only models without language tokens. */
  language: string | undefined;
  durationSeconds: number;
  /**
   * One per window share of the audio (a single one for audio up to one chunk), in order; the shares are cut at
   * the middles of the overlaps, and a share in which no word was heard is left out (a gap between segments).
   */
  segments: TranscriptSegment[];
  /** The white-space separated words of `text`, in order, with times. */
  words: TranscribedWord[];
  /**
   * Cross-attention of the alignment heads' layers [layer, head, token, frame]: row i is the decoder position
   * that produced token i (the last row produced <|endoftext|>), column f the encoder frame at f × secondsPerFrame.
   * Only for audio that fits one chunk and with `attention` not false; otherwise undefined.
   */
  attention: AttentionMaps | undefined;
  /** The (layer, head) pairs whose attention timed the words (generation_config.json's alignment_heads). */
  alignmentHeads: AlignmentHead[];
  /** Seconds per encoder frame: chunk_length / max_source_positions (0.02). */
  secondsPerFrame: number;
  /** What was adjusted or assumed on the way. */
  warnings: string[];
}

/**
 * Transcribes speech: a WAV file path, WAV bytes, mono samples at 16 kHz, or decoded audio at any rate and
 * channel count (down-mixed and resampled to the model's rate).
 *
 * @example
 * ```ts
 * const result = await transcribe('hello.wav');
 * result.text; // 'Hello world.'
 * result.words; // [{ word: 'Hello', start: 0.14, end: 0.5, confidence: 0.97 }, { word: 'world.', start: 0.5, end: 0.98, confidence: 0.91 }]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for bad options or an input of another kind; INPUT_FORMAT for audio that is
 * not a WAV, has no samples, holds NaN, or has an absurd sample rate (decodeWav's errors); MODEL_NOT_FOUND for an
 * unknown model; UNSUPPORTED for a model that is not whisper; MODEL_FORMAT for a Whisper folder missing its
 * settings; ABORTED when `signal` fires.
 */
export async function transcribe(
  audio: SpeechInput,
  options: TranscribeOptions = {},
): Promise<Transcription> {
  const fn = 'transcribe';
  validateOptions(fn, options);
  throwIfAborted(fn, options.signal);
  // every Whisper hears 16 kHz: the input is checked before any model is loaded
  let speechAudio = openSpeechAudio(fn, audio, 16000);
  try {
    const speech = await loadSpeechModel(options);
    const settings = whisperSettings(speech.files, {
      ...(options.language === undefined ? {} : { language: options.language }),
      ...(options.task === undefined ? {} : { task: options.task }),
    });
    if (settings.sampleRate !== speechAudio.sampleRate) {
      speechAudio.close();
      speechAudio = openSpeechAudio(fn, audio, settings.sampleRate);
    }
    const chunk = settings.chunkSamples;
    const overlap = Math.round(
      (options.overlapSeconds ?? settings.chunkSeconds / 6) * settings.sampleRate,
    );
    // windows overlap only their neighbours: merging compares each window with the next
    if (2 * overlap >= chunk)
      throw invalidArgument(
        fn,
        'options.overlapSeconds',
        `less than half the model's chunk of ${settings.chunkSeconds} s`,
        describeValue(options.overlapSeconds),
      );
    const duration = speechAudio.durationSeconds;
    const single = speechAudio.length <= chunk;
    const withAttention = (options.attention ?? true) && single;
    const warnings = [...speechAudio.warnings, ...settings.warnings];
    if ((options.attention ?? true) && !single)
      warnings.push(
        `the audio is longer than one ${settings.chunkSeconds} s chunk: attention maps are returned for audio of one chunk only`,
      );
    const windows: WindowTranscript[] = [];
    let attention: AttentionMaps | undefined;
    let previousEnd = 0;
    for (let first: number | undefined = 0; first !== undefined;) {
      throwIfAborted(fn, options.signal);
      let read = speechAudio.read(first, chunk);
      // a window of long audio opens just before its first sound, as the model's training clips did
      const pause = single ? 0 : leadingPause(read, settings.sampleRate);
      if (pause > 0) {
        first += pause;
        read = speechAudio.read(first, chunk);
      }
      const bounds = windowBounds(
        read,
        first + chunk >= speechAudio.length,
        overlap,
        settings.sampleRate,
      );
      const samples = read.subarray(0, bounds.end);
      const window = await transcribeWindow(speech, settings, {
        samples,
        startSeconds: first / settings.sampleRate,
        endSeconds: Math.min(duration, (first + samples.length) / settings.sampleRate),
        maxNewTokens: options.maxNewTokens ?? settings.maxNewTokens,
        numBeams: options.numBeams ?? 1,
        withAttention,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      attention = window.attention;
      const handoff = windowHandoff(
        first,
        read,
        samples.length,
        bounds.next,
        window.words,
        previousEnd,
        settings.sampleRate,
      );
      windows.push({
        start: window.start,
        end: Math.min(duration, handoff.end / settings.sampleRate),
        words: window.words.slice(0, handoff.keep),
      });
      previousEnd = first + samples.length;
      first = handoff.next;
    }
    const { words, segments } = mergeWindows(windows, duration);
    return {
      text: words
        .map((word) => word.surface)
        .join('')
        .trim(),
      language: settings.language,
      durationSeconds: duration,
      segments,
      words: words
        .filter((word) => word.surface.trim() !== '')
        .map(({ surface, start, end, confidence }) => ({
          word: surface.trim(),
          start,
          end,
          confidence,
        })),
      attention,
      alignmentHeads: settings.alignmentHeads,
      secondsPerFrame: settings.secondsPerFrame,
      warnings,
    };
  } finally {
    speechAudio.close();
  }
}

function validateOptions(fn: string, options: TranscribeOptions): void {
  if (typeof options !== 'object' || options === null)
    throw invalidArgument(fn, 'options', 'an object', describeValue(options));
  const positiveInteger = (name: 'maxNewTokens' | 'numBeams'): void => {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1))
      throw invalidArgument(fn, `options.${name}`, 'a positive integer', describeValue(value));
  };
  positiveInteger('maxNewTokens');
  positiveInteger('numBeams');
  const overlap = options.overlapSeconds;
  if (overlap !== undefined && !(Number.isFinite(overlap) && overlap >= 0))
    throw invalidArgument(
      fn,
      'options.overlapSeconds',
      'a finite number ≥ 0',
      describeValue(overlap),
    );
  if (options.task !== undefined && options.task !== 'transcribe' && options.task !== 'translate')
    throw invalidArgument(
      fn,
      'options.task',
      "'transcribe' or 'translate'",
      describeValue(options.task),
    );
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw invalidArgument(fn, 'options.signal', 'an AbortSignal', describeValue(options.signal));
}

function throwIfAborted(fn: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AttnError('ABORTED', `${fn}(): aborted`, { cause: signal.reason });
}
