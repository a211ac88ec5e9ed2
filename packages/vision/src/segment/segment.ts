// segment(): images in, object masks out — read off a vision transformer's attention, as DINO showed (Caron et al.
// 2021, https://arxiv.org/abs/2104.14294): the last layer's [CLS] -> patch attention per head, thresholded to keep
// 60% of its mass; or, as an option, attention rollout (Abnar & Zuidema 2020) through every layer. Runs any ViT
// export in the Optimum layout (`pixel_values` -> `logits` / `last_hidden_state`); attn/vit-shapes by default.
import {
  AttnError,
  attentionRollout,
  createAttentionMaps,
  describeValue,
  invalidArgument,
  type AttentionMaps,
  type Tensor,
} from '@attn/core-attention';
import type { RgbImage } from '../image/rgb-image.js';
import { readImageInputs, type ImageInput } from '../pipeline/image-inputs.js';
import { throwIfAborted } from '../pipeline/throw-if-aborted.js';
import { loadVisionModel, type VisionModelSource } from '../pipeline/vision-model.js';
import { preprocessImages, type ImageGeometry } from '../preprocess/preprocess-images.js';
import { attentionMassMask } from './attention-mass-mask.js';
import { upsampleMask } from './upsample-mask.js';

/** The model used when `model` is not given. */
export const defaultSegmentationModel = 'attn/vit-shapes';
/** Vision transformers with a [CLS] token first and the patches last (DeiT's distillation token between them). */
export const segmentationTypes = ['vit', 'deit'];

export interface SegmentOptions extends VisionModelSource {
  /** The share of the attention mass the kept patches hold (DINO's rule). Default 0.6. */
  massFraction?: number;
  /**
   * How the combined map is made: 'mean' of the last layer's heads, or 'rollout', the [CLS] row of attention
   * rollout through every layer (heads averaged, residual weight 0.5). 'rollout' taps every layer. Default 'mean'.
   */
  combine?: 'mean' | 'rollout';
  /** Also return the combined mask at the image's size. Default true. */
  upsample?: boolean;
  /** Images per model run. Default 8. */
  batchSize?: number;
  /** Refuse images with more pixels than this (see loadImage). Default 40 megapixels. */
  pixelLimit?: number;
  /** Checked before each batch. */
  signal?: AbortSignal;
}

/** Masks and maps of one image, over the model's patch grid (row-major, rows x cols). */
export interface Segmentation {
  /** The image's size as given. */
  width: number;
  height: number;
  /** The patch grid the image was cut into. */
  grid: { rows: number; cols: number };
  /** Per head: the last layer's attention from [CLS] to each patch (not renormalised over the patches). */
  maps: Float32Array[];
  /** The map the combined mask comes from: the mean of `maps`, or the rollout's [CLS] row over the patches. */
  combinedMap: Float32Array;
  /** 1 for kept patches. `upsampled` is `combined` at width x height (when options.upsample). */
  masks: { perHead: Uint8Array[]; combined: Uint8Array; upsampled?: Uint8Array };
  /** Self-attention [layer, head, token, token] of the tapped layers; tokens '[CLS]', any extra tokens, then patches 'r,c'. */
  attention: AttentionMaps;
  /** What was adjusted on the way (for example an alpha channel dropped). */
  warnings: string[];
}

/**
 * Segments the objects of an image, or of a list of images (batched), from a vision transformer's attention.
 *
 * @example
 * ```ts
 * // the random-weights test fixture (32 x 32 input, patch size 8, 4 heads)
 * const image = await loadImage('scene.png');
 * const segmentation = await segment(image, { model: './packages/core-attention/test-fixtures/tiny-vit' });
 * segmentation.grid; // { rows: 4, cols: 4 }
 * segmentation.maps.length; // 4 (one per head, 16 patches each)
 * segmentation.masks.upsampled.length; // image.width * image.height
 * await writePng('scene-mask.png', segmentationOverlay(image, segmentation));
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a bad image argument or option; INPUT_FORMAT for a file that is not a
 * readable image or is over the pixel limit; MODEL_NOT_FOUND for an unknown model; UNSUPPORTED for a model
 * that is not a ViT; MODEL_FORMAT when the attention does not fit the patch grid; ABORTED when `signal` fires.
 */
export function segment(image: ImageInput, options?: SegmentOptions): Promise<Segmentation>;
export function segment(
  images: readonly ImageInput[],
  options?: SegmentOptions,
): Promise<Segmentation[]>;
export async function segment(
  input: ImageInput | readonly ImageInput[],
  options: SegmentOptions = {},
): Promise<Segmentation | Segmentation[]> {
  const fn = 'segment';
  const {
    massFraction = 0.6,
    combine = 'mean',
    upsample = true,
    batchSize: requestedBatchSize = 8,
    signal,
  } = options;
  validateOptions(massFraction, combine, requestedBatchSize);
  const { images, warnings, single } = await readImageInputs(fn, input, options);
  throwIfAborted(fn, signal, 'before loading the model');

  const { folder, model, settings } = await loadVisionModel(
    fn,
    options,
    defaultSegmentationModel,
    segmentationTypes,
    { kind: 'encoder_self', layers: combine === 'rollout' ? 'all' : 'last' },
  );
  const patchSize = folder.config['patch_size'];
  if (!Number.isInteger(patchSize) || (patchSize as number) < 1) {
    throw new AttnError(
      'MODEL_FORMAT',
      `segment(): config.json of ${folder.source} must give patch_size as a positive integer, got ${describeValue(patchSize)}`,
      { fix: 'add the patch size the model was trained with to config.json' },
    );
  }
  // Images of different sizes share a batch only when the processor resizes them to one size.
  const batchSize =
    settings.resize !== null && 'height' in settings.resize ? requestedBatchSize : 1;
  const results: Segmentation[] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    throwIfAborted(fn, signal, `after ${start} of ${images.length} images`);
    const batch = images.slice(start, start + batchSize);
    const { pixelValues, geometry } = preprocessImages(batch, settings);
    const run = await model.run({ pixel_values: pixelValues });
    const layers = [...run.attention.entries()]
      .map(([name, weights]) => ({ layer: Number(name.split('.').at(-1)), weights }))
      .sort((a, b) => a.layer - b.layer);
    batch.forEach((image, b) => {
      results.push({
        ...segmentImage(b, image, geometry[b] as ImageGeometry, layers, {
          patchSize: patchSize as number,
          massFraction,
          combine,
          upsample,
          source: folder.source,
        }),
        warnings: warnings[start + b] as string[],
      });
    });
  }
  return single ? (results[0] as Segmentation) : results;
}

function validateOptions(massFraction: unknown, combine: unknown, batchSize: unknown): void {
  const fn = 'segment';
  if (typeof massFraction !== 'number' || !(massFraction > 0 && massFraction <= 1)) {
    throw invalidArgument(
      fn,
      'options.massFraction',
      'a number in (0, 1]',
      describeValue(massFraction),
    );
  }
  if (combine !== 'mean' && combine !== 'rollout')
    throw invalidArgument(fn, 'options.combine', "'mean' or 'rollout'", describeValue(combine));
  if (!Number.isInteger(batchSize) || (batchSize as number) < 1)
    throw invalidArgument(fn, 'options.batchSize', 'a positive integer', describeValue(batchSize));
}

interface SegmentImageOptions {
  patchSize: number;
  massFraction: number;
  combine: 'mean' | 'rollout';
  upsample: boolean;
  source: string;
}

/** Image `b` of a batch run: its attention maps, the per-head and combined maps and their masks. */
function segmentImage(
  b: number,
  image: RgbImage,
  geometry: ImageGeometry,
  layers: readonly { layer: number; weights: Tensor<'float32'> }[],
  options: SegmentImageOptions,
): Omit<Segmentation, 'warnings'> {
  const [, H, T] = layers[0]?.weights.dims as [number, number, number, number];
  const rows = Math.floor(geometry.input.height / options.patchSize);
  const cols = Math.floor(geometry.input.width / options.patchSize);
  const P = rows * cols;
  const extra = T - 1 - P; // tokens between [CLS] and the patches (DeiT's distillation token, registers)
  if (extra < 0) {
    throw new AttnError(
      'MODEL_FORMAT',
      `segment(): ${options.source} attends over ${T} tokens, fewer than [CLS] + the ${rows} x ${cols} patches of a ${geometry.input.width} x ${geometry.input.height} input with patch_size ${options.patchSize}`,
      { fix: 'check patch_size in config.json and the size in preprocessor_config.json' },
    );
  }
  const labels = ['[CLS]', ...Array.from({ length: extra }, (_, i) => `token ${i + 1}`)];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) labels.push(`${r},${c}`);
  const matrix = H * T * T;
  const data = new Float32Array(layers.length * matrix);
  layers.forEach(({ weights }, l) =>
    data.set(weights.data.subarray(b * matrix, (b + 1) * matrix), l * matrix),
  );
  const attention = createAttentionMaps({
    kind: 'self',
    layers: layers.map(({ layer }) => layer),
    heads: Array.from({ length: H }, (_, head) => head),
    queryLabels: labels,
    keyLabels: labels,
    data,
  });

  // the [CLS] row of the last layer, patch keys only: [H, P]
  const last = (layers.length - 1) * matrix;
  const patchStart = 1 + extra;
  const maps = Array.from({ length: H }, (_, head) => {
    const row = last + head * T * T; // query 0 = [CLS]
    return data.slice(row + patchStart, row + T);
  });
  let combinedMap: Float32Array;
  if (options.combine === 'rollout') {
    combinedMap = attentionRollout(attention, { queries: [0] }).data.slice(patchStart, T); // R[0, patches]
  } else {
    const sum = new Float64Array(P);
    for (const map of maps)
      for (let p = 0; p < P; p++) sum[p] = (sum[p] as number) + (map[p] as number);
    combinedMap = Float32Array.from(sum, (total) => total / H);
  }
  const combined = attentionMassMask(combinedMap, options.massFraction);
  return {
    width: image.width,
    height: image.height,
    grid: { rows, cols },
    maps,
    combinedMap,
    masks: {
      perHead: maps.map((map) => attentionMassMask(map, options.massFraction)),
      combined,
      ...(options.upsample
        ? { upsampled: upsampleMask(combined, rows, cols, image.width, image.height) }
        : {}),
    },
    attention,
  };
}
