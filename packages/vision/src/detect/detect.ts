// detect(): images in, objects out — each with its box, label, score and the decoder cross-attention of the object
// query that found it (DETR, Carion et al. 2020, https://arxiv.org/abs/2005.12872). Runs any DETR export in the
// Optimum layout (`pixel_values`, `pixel_mask` -> `logits`, `pred_boxes`); attn/detr-shapes by default.
import {
  AttnError,
  createTensor,
  describeValue,
  invalidArgument,
  type AttentionMaps,
  type Tensor,
} from '@attn/core-attention';
import type { Box } from '../boxes/box.js';
import { centerBoxToPixels } from '../boxes/center-box-to-pixels.js';
import { readImageInputs, type ImageInput } from '../pipeline/image-inputs.js';
import { throwIfAborted } from '../pipeline/throw-if-aborted.js';
import { loadVisionModel, type VisionModelSource } from '../pipeline/vision-model.js';
import { preprocessImages, type ImageGeometry } from '../preprocess/preprocess-images.js';
import { detectionScores } from './detection-scores.js';
import { featureGrid } from './feature-grid.js';
import { imageCrossAttention, queryMaps } from './image-cross-attention.js';

/** The model used when `model` is not given. */
export const defaultDetectionModel = 'attn/detr-shapes';
export const detectionTypes = ['detr'];

export interface DetectOptions extends VisionModelSource {
  /** Keep objects whose score is at least this, in [0, 1]. Default 0.5; use 0 for mAP evaluation. */
  threshold?: number;
  /** Keep at most this many objects per image, the highest scores first. Default: all above the threshold. */
  topK?: number;
  /** Return the cross-attention and each object's map. false runs the model untapped. Default true. */
  attention?: boolean;
  /**
   * Decoder layers whose cross-attention makes each object's map (heads are always averaged): the last one,
   * or the mean of all. Only these layers are tapped. Default 'last'.
   */
  attentionLayers?: 'last' | 'all';
  /** Clip boxes to the image. Default true (DETR's boxes may overhang the image edge by a little). */
  clip?: boolean;
  /** Images per model run; DETR pads each batch to its largest image. Default 8. */
  batchSize?: number;
  /** Refuse images with more pixels than this (see loadImage). Default 40 megapixels. */
  pixelLimit?: number;
  /** Checked before each batch. */
  signal?: AbortSignal;
}

/** One object found in an image. */
export interface DetectedObject {
  /** From config.json's id2label. */
  label: string;
  labelId: number;
  /** The label's probability: softmax over all classes, no-object included. */
  score: number;
  /** Corners in the original image's pixels. */
  box: Box;
  /** The object query that produced it. */
  query: number;
  /**
   * The query's cross-attention over the feature cells that cover the image, [grid.rows, grid.cols]
   * row-major, heads (and with attentionLayers 'all', layers) averaged; sums to 1. Stretch it to the image
   * with upsampleAttention(attention, grid.rows, grid.cols, width, height). undefined when attention is off.
   */
  attention: Float32Array | undefined;
}

/** What detect() found in one image. */
export interface Detection {
  /** Highest score first. */
  objects: DetectedObject[];
  /** The image's size as given. */
  width: number;
  height: number;
  /** The backbone's feature cells that cover the image: the shape of each object's map (0 x 0 when attention is off). */
  grid: { rows: number; cols: number };
  /** Cross-attention [layer, head, object query, feature cell] over those cells; undefined when attention is off. */
  attention: AttentionMaps | undefined;
  /** What was adjusted on the way (for example an alpha channel dropped). */
  warnings: string[];
}

/**
 * Detects objects in an image, or in a list of images (batched; images of different sizes are padded as
 * DETR's image processor does), each object with the attention map of the query that found it.
 *
 * @example
 * ```ts
 * // the random-weights test fixture on a 96 x 64 image, keeping every object query
 * const detection = await detect('scene-96x64.png', {
 *   model: './packages/core-attention/test-fixtures/tiny-detr', threshold: 0,
 * });
 * detection.objects.length; // 5 (the fixture's 5 object queries)
 * detection.grid; // { rows: 8, cols: 12 } (stride 8)
 * detection.objects[0].attention.length; // 96 (8 x 12 cells, summing to 1)
 * detection.attention.dims; // [1, 4, 5, 96] (last decoder layer, 4 heads, 5 queries, 96 cells)
 * const [first, second] = await detect(['a.png', 'b.jpg']); // batched with attn/detr-shapes
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a bad image argument or option; INPUT_FORMAT for a file that is not
 * a readable image or is over the pixel limit; MODEL_NOT_FOUND for an unknown model; UNSUPPORTED for a model
 * that is not a DETR; ABORTED when `signal` fires.
 */
export function detect(image: ImageInput, options?: DetectOptions): Promise<Detection>;
export function detect(
  images: readonly ImageInput[],
  options?: DetectOptions,
): Promise<Detection[]>;
export async function detect(
  input: ImageInput | readonly ImageInput[],
  options: DetectOptions = {},
): Promise<Detection | Detection[]> {
  const fn = 'detect';
  const {
    threshold = 0.5,
    topK,
    attention: withAttention = true,
    attentionLayers = 'last',
    clip = true,
    batchSize = 8,
    signal,
  } = options;
  validateOptions(threshold, topK, attentionLayers, batchSize);
  const { images, warnings, single } = await readImageInputs(fn, input, options);
  throwIfAborted(fn, signal, 'before loading the model');

  const { folder, model, settings } = await loadVisionModel(
    fn,
    options,
    defaultDetectionModel,
    detectionTypes,
    withAttention ? { kind: 'cross', layers: attentionLayers } : undefined,
  );
  const labels = folder.config['id2label'] as Record<string, string> | undefined;
  const strideHint = folder.config['backbone_stride'];
  const results: Detection[] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    throwIfAborted(fn, signal, `after ${start} of ${images.length} images`);
    const batch = images.slice(start, start + batchSize);
    const { pixelValues, pixelMask, geometry } = preprocessImages(batch, settings);
    const [B, , H, W] = pixelValues.dims as [number, number, number, number];
    const run = await model.run({
      pixel_values: pixelValues,
      pixel_mask:
        pixelMask ?? createTensor('int64', [B, H, W], new BigInt64Array(B * H * W).fill(1n)),
    });
    const logits = outputOf(run.outputs, 'logits', folder.source);
    const boxes = outputOf(run.outputs, 'pred_boxes', folder.source);
    const cross = [...run.attention.entries()]
      .map(([name, weights]) => ({ layer: Number(name.split('.').at(-1)), weights }))
      .sort((a, b) => a.layer - b.layer);
    const tapped = attentionLayers === 'last' ? cross.slice(-1) : cross;
    batch.forEach((_, b) => {
      results.push(
        describeImage(b, geometry[b] as ImageGeometry, logits, boxes, tapped, {
          labels,
          strideHint: typeof strideHint === 'number' ? strideHint : undefined,
          threshold,
          topK,
          clip,
          warnings: warnings[start + b] as string[],
        }),
      );
    });
  }
  return single ? (results[0] as Detection) : results;
}

function validateOptions(
  threshold: unknown,
  topK: unknown,
  attentionLayers: unknown,
  batchSize: unknown,
): void {
  const fn = 'detect';
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1))
    throw invalidArgument(fn, 'options.threshold', 'a number in [0, 1]', describeValue(threshold));
  if (topK !== undefined && (!Number.isInteger(topK) || (topK as number) < 1))
    throw invalidArgument(fn, 'options.topK', 'a positive integer', describeValue(topK));
  if (attentionLayers !== 'last' && attentionLayers !== 'all') {
    throw invalidArgument(
      fn,
      'options.attentionLayers',
      "'last' or 'all'",
      describeValue(attentionLayers),
    );
  }
  if (!Number.isInteger(batchSize) || (batchSize as number) < 1)
    throw invalidArgument(fn, 'options.batchSize', 'a positive integer', describeValue(batchSize));
}

function outputOf(
  outputs: Record<string, { dims: readonly number[]; data: unknown }>,
  name: string,
  source: string,
): Tensor<'float32'> {
  const output = outputs[name];
  if (output === undefined || !(output.data instanceof Float32Array)) {
    throw new AttnError(
      'MODEL_FORMAT',
      `detect(): ${source} has no float32 '${name}' output; a DETR export outputs logits and pred_boxes`,
      { fix: 'export the model for object detection (Optimum task object-detection)' },
    );
  }
  return output as Tensor<'float32'>;
}

interface DescribeOptions {
  labels: Record<string, string> | undefined;
  strideHint: number | undefined;
  threshold: number;
  topK: number | undefined;
  clip: boolean;
  warnings: string[];
}

/** Image `b` of a batch run: its objects above the threshold, best first, boxes and maps mapped back to it. */
function describeImage(
  b: number,
  geometry: ImageGeometry,
  logits: Tensor<'float32'>,
  boxes: Tensor<'float32'>,
  cross: readonly { layer: number; weights: Tensor<'float32'> }[],
  options: DescribeOptions,
): Detection {
  const [, Q, C] = logits.dims as [number, number, number];
  const { width, height } = geometry.original;
  const classes = detectionScores(logits.data.subarray(b * Q * C, (b + 1) * Q * C), Q, C);
  let kept = classes
    .map((queryClass, query) => ({ ...queryClass, query }))
    .filter(({ score }) => score >= options.threshold)
    .sort((first, second) => second.score - first.score || first.query - second.query);
  if (options.topK !== undefined) kept = kept.slice(0, options.topK);

  let attention: AttentionMaps | undefined;
  let maps: Float32Array[] = [];
  let grid = { rows: 0, cols: 0 };
  if (cross.length > 0) {
    const positions = cross[0]?.weights.dims[3] as number;
    const cells = featureGrid(geometry.input, geometry.resized, positions, options.strideHint);
    grid = { rows: cells.realRows, cols: cells.realCols };
    attention = imageCrossAttention(cross, b, cells);
    maps = queryMaps(attention);
  }
  const objects = kept.map(({ labelId, score, query }) => {
    const start = (b * Q + query) * 4;
    const box = centerBoxToPixels(boxes.data.subarray(start, start + 4), geometry);
    return {
      label: options.labels?.[String(labelId)] ?? `LABEL_${labelId}`,
      labelId,
      score,
      box: options.clip ? clipBox(box, width, height) : box,
      query,
      attention: maps[query],
    };
  });
  return { objects, width, height, grid, attention, warnings: options.warnings };
}

function clipBox(box: Box, width: number, height: number): Box {
  const clamp = (value: number, limit: number): number => Math.min(Math.max(value, 0), limit);
  return {
    x0: clamp(box.x0, width),
    y0: clamp(box.y0, height),
    x1: clamp(box.x1, width),
    y1: clamp(box.y1, height),
  };
}
