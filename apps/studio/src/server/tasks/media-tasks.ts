// The image and audio tasks as the worker runs them: @attn/vision's detect and segment and @attn/audio's
// transcribe on the uploaded bytes, their results reduced to the studio's wire shapes (studio-api.ts).
import { aggregateAttention } from '@attn/core-attention';
import { transcribe } from '@attn/audio';
import { detect, segment } from '@attn/vision';
import type { DetectResult, SegmentResult, TranscribeResult } from '../../api/studio-api.js';
import type { TaskInput } from '../task-input.js';
import type { TaskOutput } from './text-tasks.js';
import { roundWeights } from './wire-numbers.js';

type InputOf<Task extends TaskInput['task']> = Extract<TaskInput, { task: Task }>;

/** Uploads declaring more pixels are refused before decoding (16 MP: 48 MB of RGB). */
export const uploadPixelLimit = 16_000_000;

/**
 * Detects objects, each with its query's attention over the feature grid.
 *
 * @example
 * ```ts
 * (await detectTask({ task: 'detect', image: png, threshold: 0 }, '/fixtures/tiny-detr', signal)).grid;
 * // { rows: 8, cols: 10 } for an 80 x 64 image
 * ```
 * @throws {AttnError} as detect(): INPUT_FORMAT for bytes that are not a readable image or are over the pixel limit.
 */
export async function detectTask(
  input: InputOf<'detect'>,
  folder: string,
  signal: AbortSignal,
): Promise<TaskOutput<DetectResult>> {
  const result = await detect(input.image, {
    model: folder,
    threshold: input.threshold,
    pixelLimit: uploadPixelLimit,
    signal,
  });
  return {
    task: 'detect',
    width: result.width,
    height: result.height,
    grid: result.grid,
    objects: result.objects.map((object) => ({
      label: object.label,
      score: object.score,
      box: { x0: object.box.x0, y0: object.box.y0, x1: object.box.x1, y1: object.box.y1 },
      attention: roundWeights(object.attention ?? []),
    })),
    warnings: result.warnings,
  };
}

/**
 * Segments from the ViT's attention: every head's [CLS] map, the combined map (mean or rollout) and its mask.
 *
 * @example
 * ```ts
 * (await segmentTask({ task: 'segment', image: png, combine: 'rollout' }, '/fixtures/tiny-vit', signal)).grid;
 * // { rows: 4, cols: 4 }
 * ```
 * @throws {AttnError} as segment().
 */
export async function segmentTask(
  input: InputOf<'segment'>,
  folder: string,
  signal: AbortSignal,
): Promise<TaskOutput<SegmentResult>> {
  const result = await segment(input.image, {
    model: folder,
    combine: input.combine,
    upsample: false,
    pixelLimit: uploadPixelLimit,
    signal,
  });
  return {
    task: 'segment',
    combine: input.combine,
    width: result.width,
    height: result.height,
    grid: result.grid,
    headMaps: result.maps.map((map) => roundWeights(map)),
    combinedMap: roundWeights(result.combinedMap),
    mask: Array.from(result.masks.combined),
    warnings: result.warnings,
  };
}

/**
 * Transcribes, with every word's times and the alignment heads' attention (averaged) for audio of one chunk.
 *
 * @example
 * ```ts
 * (await transcribeTask({ task: 'transcribe', audio: wav }, '/fixtures/tiny-whisper', signal)).words[0];
 * // { word: '…', start: 0, end: 0.3, confidence: 0.02 }
 * ```
 * @throws {AttnError} as transcribe(): INPUT_FORMAT for bytes that are not a readable WAV.
 */
export async function transcribeTask(
  input: InputOf<'transcribe'>,
  folder: string,
  signal: AbortSignal,
): Promise<TaskOutput<TranscribeResult>> {
  const result = await transcribe(input.audio, {
    model: folder,
    signal,
    ...(input.language === undefined ? {} : { language: input.language }),
  });
  const maps = result.attention;
  const pairs = result.alignmentHeads.filter(
    ([layer, head]) => maps?.layers.includes(layer) === true && maps.heads.includes(head),
  );
  const alignment =
    maps === undefined || pairs.length === 0
      ? null
      : {
          tokens: [...maps.queryLabels],
          frames: maps.dims[3],
          secondsPerFrame: result.secondsPerFrame,
          data: roundWeights(aggregateAttention(maps, { pairs }).data),
        };
  return {
    task: 'transcribe',
    text: result.text,
    durationSeconds: result.durationSeconds,
    words: result.words,
    alignment,
    warnings: result.warnings,
  };
}
