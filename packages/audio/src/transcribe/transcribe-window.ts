// One window of audio through Whisper: log-mel features padded to the chunk, the encoder, decoding from the
// Whisper prompt with timestamp and special tokens suppressed, then word times from the alignment heads'
// cross-attention (token-boundaries.ts) and word confidences from the token probabilities.
//   cross [L, H, Q, S]: tapped layers, heads, decoder positions (prompt + inputs), encoder positions
//   F = encoder positions that hold audio (the rest of the chunk is padding)
import {
  AttnError,
  createAttentionMaps,
  createTensor,
  type AttentionMaps,
  type Tensor,
} from '@attn/core-attention';
import { sequenceAttention, type SequenceAttention } from '@attn/core-attention/runtime';
import { whisperLogMel } from '../features/whisper-log-mel.js';
import type { WindowTranscript } from './merge-windows.js';
import type { SpeechModel } from './speech-model.js';
import { tokenBoundaries } from './token-boundaries.js';
import { recordTokenProbabilities } from './token-probabilities.js';
import type { AlignmentHead, WhisperSettings } from './whisper-settings.js';
import { windowWords } from './window-words.js';
import { tokenBytes } from './word-groups.js';

export interface WindowRequest {
  /** Mono samples at the model's rate, at most one chunk. */
  samples: Float32Array;
  /** Where the window starts in the audio, and where its audio ends (seconds). */
  startSeconds: number;
  endSeconds: number;
  maxNewTokens: number;
  numBeams: number;
  withAttention: boolean;
  signal?: AbortSignal;
}

/** A window's words, and its alignment-head layers' cross-attention when asked for. */
export interface WindowResult extends WindowTranscript {
  attention: AttentionMaps | undefined;
}

/**
 * Transcribes one window with word times in seconds of the whole audio (clamped to [startSeconds, endSeconds]).
 *
 * @example
 * ```ts
 * const window = await transcribeWindow(speech, settings, {
 *   samples, startSeconds: 0, endSeconds: 1, maxNewTokens: 224, numBeams: 1, withAttention: false,
 * });
 * window.words[0]; // { surface: ' hello', tokens: [31373], start: 0.12, end: 0.46, confidence: 0.93 }
 * ```
 * @throws {AttnError} ABORTED when `signal` fires; RUNTIME when the decoder returns no cross-attention.
 */
export async function transcribeWindow(
  speech: SpeechModel,
  settings: WhisperSettings,
  request: WindowRequest,
): Promise<WindowResult> {
  const { model, tokenizer } = speech;
  const features = whisperLogMel(request.samples, {
    nMels: settings.melBins,
    nFft: settings.fftLength,
    hopLength: settings.hopLength,
    sampleRate: settings.sampleRate,
    chunkSamples: settings.chunkSamples,
  });
  const encoded = await model.encodeFeatures(
    createTensor('float32', [1, ...features.dims], features.data), // [1, mels, frames]
  );
  const recorder = recordTokenProbabilities(settings.endOfTextId);
  const run = await model.generateFrom(encoded, {
    prompt: [settings.prompt],
    maxNewTokens: request.maxNewTokens,
    numBeams: request.numBeams,
    eosTokenId: settings.endOfTextId,
    suppressTokens: [...(model.defaults.suppressTokens ?? []), ...settings.nonTextTokens],
    onStep: recorder.onStep,
    ...(request.signal === undefined ? {} : { signal: request.signal }),
  });
  const sequence = run.sequences[0]?.[0];
  if (sequence === undefined)
    throw new AttnError('RUNTIME', 'transcribe(): the decoder returned no sequence');
  const probabilities = recorder.probabilities(sequence);
  const count = probabilities.length;
  const textTokens = sequence.tokens.slice(0, count);
  const hasEndRow = sequence.tokens[count] === settings.endOfTextId;
  const frames = Math.min(
    settings.encoderFrames,
    Math.max(1, Math.floor(Math.floor(request.samples.length / settings.hopLength) / 2)),
  );
  const firstRow = settings.prompt.length - 1;
  const rows = count + (hasEndRow ? 1 : 0);
  const cross = rows === 0 ? undefined : sequenceAttention(run.stepResults, sequence, 'cross');
  if (rows > 0 && cross === undefined)
    throw new AttnError(
      'RUNTIME',
      'transcribe(): the decoder returned no cross-attention although taps were requested',
    );

  const bytes = textTokens.map((id) => tokenBytes(tokenizer, id));
  const boundaries =
    count === 0 || cross === undefined
      ? new Int32Array(1)
      : tokenBoundaries(alignmentWeights(cross, settings.alignmentHeads, frames), {
          firstRow,
          tokens: count,
          hasEndRow,
          medianFilterWidth: settings.medianFilterWidth,
        });
  const words = windowWords(textTokens, bytes, probabilities, {
    boundaries,
    secondsPerFrame: settings.secondsPerFrame,
    startSeconds: request.startSeconds,
    endSeconds: request.endSeconds,
  });
  const attention =
    request.withAttention && cross !== undefined
      ? attentionMaps(cross, settings, firstRow, rows, frames, [
          ...bytes.map((token) => new TextDecoder().decode(token)),
          ...(hasEndRow ? [tokenizer.idToToken(settings.endOfTextId) ?? '<|endoftext|>'] : []),
        ])
      : undefined;
  return {
    start: request.startSeconds,
    end: request.endSeconds,
    words,
    attention,
  };
}

/**
 * The alignment heads' weights [A, Q, F] over the audio's F frames, each row renormalised to sum 1 — the softmax
 * over the audio's frames only, as openai/whisper computes it.
 */
function alignmentWeights(
  cross: SequenceAttention,
  heads: readonly AlignmentHead[],
  frames: number,
): Tensor<'float32'> {
  const Q = cross.queries;
  const weights = createTensor('float32', [heads.length, Q, frames]); // [A, Q, F]
  heads.forEach(([layer, head], a) => {
    const l = cross.layers.indexOf(layer);
    for (let q = 0; q < Q; q++)
      copyRow(cross, l, head, q, frames, weights.data, (a * Q + q) * frames);
  });
  return weights;
}

/** Row q of (layer index l, head) over the first `frames` keys, renormalised, written at `to`. */
function copyRow(
  cross: SequenceAttention,
  l: number,
  head: number,
  q: number,
  frames: number,
  output: Float32Array,
  to: number,
): void {
  const from = ((l * cross.heads + head) * cross.queries + q) * cross.keys;
  let sum = 0;
  for (let f = 0; f < frames; f++) sum += cross.data[from + f] as number;
  const scale = sum > 0 ? 1 / sum : 0;
  for (let f = 0; f < frames; f++) output[to + f] = (cross.data[from + f] as number) * scale;
}

/** Maps [layers, heads, rows, F] of the alignment heads' layers and heads; row r predicted token r. */
function attentionMaps(
  cross: SequenceAttention,
  settings: WhisperSettings,
  firstRow: number,
  rows: number,
  frames: number,
  queryLabels: string[],
): AttentionMaps {
  const layers = [...new Set(settings.alignmentHeads.map(([layer]) => layer))].sort(
    (a, b) => a - b,
  );
  const heads = [...new Set(settings.alignmentHeads.map(([, head]) => head))].sort((a, b) => a - b);
  const data = new Float32Array(layers.length * heads.length * rows * frames);
  layers.forEach((layer, li) =>
    heads.forEach((head, hi) => {
      for (let r = 0; r < rows; r++)
        copyRow(
          cross,
          cross.layers.indexOf(layer),
          head,
          firstRow + r,
          frames,
          data,
          ((li * heads.length + hi) * rows + r) * frames,
        );
    }),
  );
  return createAttentionMaps({
    kind: 'cross',
    layers,
    heads,
    queryLabels,
    keyLabels: Array.from({ length: frames }, (_, f) => (f * settings.secondsPerFrame).toFixed(2)),
    data,
  });
}
