// preprocessor_config.json of a Hugging Face image model, read into typed settings with the defaults of its
// processor class (transformers' ViTImageProcessor, DetrImageProcessor, or the generic base class).
import { AttnError, describeValue } from '@attn/core-attention';
import type { ResampleFilter } from './resample-image.js';
import type { ResizeTarget, Size } from './resize-output-size.js';

/** Per-channel values for R, G and B. */
export type ChannelValues = readonly [red: number, green: number, blue: number];

/** How a batch is padded: not at all, to the largest image in the batch (DETR), or to a fixed size. */
export type PadTo = 'none' | 'batch' | Size;

/** Everything {@link preprocessImages} needs to turn RGB images into `pixel_values`. */
export interface ImageProcessorSettings {
  /** The resize target, or null to keep each image's size (`do_resize: false`). */
  readonly resize: ResizeTarget | null;
  /** The resampling filter (`resample`, a PIL code). */
  readonly resample: ResampleFilter;
  /** Multiplier applied to the 0–255 samples, or null for none (`do_rescale`, `rescale_factor`). */
  readonly rescaleFactor: number | null;
  /** (x - mean) / std per channel after rescaling, or null for none (`do_normalize`, `image_mean`, `image_std`). */
  readonly normalize: { readonly mean: ChannelValues; readonly std: ChannelValues } | null;
  /** Zero padding at the bottom and right, with a `pixel_mask` (`do_pad`, `pad_size`). */
  readonly pad: PadTo;
}

/** PIL's resampling codes (`PIL.Image.Resampling`), as preprocessor_config.json stores `resample`. */
export const pilResampleFilters: Readonly<Record<number, ResampleFilter>> = {
  0: 'nearest',
  1: 'lanczos',
  2: 'bilinear',
  3: 'bicubic',
  4: 'box',
  5: 'hamming',
};

const imagenetDefault = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;
const imagenetStandard = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } as const;

/** What each processor class assumes for a key its config leaves out. */
const classDefaults = {
  vit: {
    do_resize: true,
    size: { height: 224, width: 224 },
    do_normalize: true,
    image_mean: imagenetStandard.mean,
    image_std: imagenetStandard.std,
    do_pad: false,
  },
  detr: {
    do_resize: true,
    size: { shortest_edge: 800, longest_edge: 1333 },
    do_normalize: true,
    image_mean: imagenetDefault.mean,
    image_std: imagenetDefault.std,
    do_pad: true,
  },
  generic: { do_normalize: false, do_pad: false },
} as const;

/** Options that change the geometry in ways {@link preprocessImages} does not implement. */
const unsupportedKeys = [
  'do_center_crop',
  'do_thumbnail',
  'do_crop_margin',
  'do_flip_channel_order',
];

/**
 * Reads a parsed preprocessor_config.json into {@link ImageProcessorSettings}. Keys the file leaves out
 * take the defaults of its class (`image_processor_type`, or `feature_extractor_type` in older files):
 * ViT resizes to 224 x 224 and normalises with mean = std = 0.5; DETR resizes to shortest edge 800 /
 * longest 1333, normalises with the ImageNet mean and std and pads; any other class resizes only when
 * `size` is given and normalises only when `do_normalize` is true. All rescale by 1/255 and resample
 * bilinearly unless told otherwise. An integer `size` (older files) means shortest edge `size` with
 * longest edge `max_size` (1333 for DETR when absent) for DETR or when `max_size` is given, and a
 * `size` x `size` square otherwise. Keys set to null count as absent.
 *
 * @example
 * ```ts
 * imageProcessorSettings({
 *   image_processor_type: 'DetrImageProcessor', size: { shortest_edge: 128, longest_edge: 256 },
 * });
 * // { resize: { shortestEdge: 128, longestEdge: 256 }, resample: 'bilinear', rescaleFactor: 1 / 255,
 * //   normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }, pad: 'batch' }
 * imageProcessorSettings({ image_processor_type: 'ViTImageProcessor', size: 32, resample: 3 }).resize;
 * // { height: 32, width: 32 }
 * ```
 * @throws {AttnError} MODEL_FORMAT when `config` is not an object or a value has the wrong type or range
 * (`location` names the file in the message); UNSUPPORTED when it asks for center cropping, thumbnails,
 * margin cropping or BGR channel order.
 */
export function imageProcessorSettings(
  config: unknown,
  location = 'preprocessor_config.json',
): ImageProcessorSettings {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new AttnError(
      'MODEL_FORMAT',
      `imageProcessorSettings(): ${location} must hold a JSON object, got ${describeSetting(config)}`,
      { fix: `check that ${location} is the image processor's configuration` },
    );
  }
  const given = config as Record<string, unknown>;
  const type = String(given.image_processor_type ?? given.feature_extractor_type ?? '');
  const family = /detr/i.test(type)
    ? 'detr'
    : /^vit(image|feature)/i.test(type)
      ? 'vit'
      : 'generic';
  const values: Record<string, unknown> = { ...classDefaults[family], ...withoutNulls(given) };

  for (const key of unsupportedKeys) {
    if (values[key] === true) {
      throw new AttnError(
        'UNSUPPORTED',
        `imageProcessorSettings(): ${location} sets ${key}, which @attn/vision does not implement`,
        { fix: `set ${key} to false and resize the images to the model's input size yourself` },
      );
    }
  }
  const doResize = flag(location, 'do_resize', values.do_resize ?? values.size !== undefined);
  const doRescale = flag(location, 'do_rescale', values.do_rescale ?? true);
  const doNormalize = flag(location, 'do_normalize', values.do_normalize);
  const doPad = flag(location, 'do_pad', values.do_pad);
  return {
    resize: doResize ? resizeTarget(location, values, family) : null,
    resample: resampleFilter(location, values.resample ?? 2),
    rescaleFactor: doRescale
      ? positive(location, 'rescale_factor', values.rescale_factor ?? 1 / 255)
      : null,
    normalize: doNormalize
      ? {
          mean: channelValues(location, 'image_mean', values.image_mean, false),
          std: channelValues(location, 'image_std', values.image_std, true),
        }
      : null,
    pad: !doPad
      ? 'none'
      : values.pad_size === undefined
        ? 'batch'
        : padSize(location, values.pad_size),
  };
}

function resizeTarget(
  location: string,
  values: Record<string, unknown>,
  family: keyof typeof classDefaults,
): ResizeTarget {
  const size = values.size;
  const expected =
    '{height, width}, {shortest_edge, longest_edge?}, {max_height, max_width} or a positive integer';
  if (isSide(size)) {
    if (values.max_size !== undefined || family === 'detr') {
      // DetrImageProcessor caps the longest edge at 1333 unless max_size says otherwise.
      const maxSize = values.max_size ?? 1333;
      if (!isSide(maxSize)) throw badValue(location, 'max_size', 'a positive integer', maxSize);
      return { shortestEdge: size, longestEdge: maxSize };
    }
    return { height: size, width: size };
  }
  if (typeof size !== 'object' || size === null) throw badValue(location, 'size', expected, size);
  const { height, width, shortest_edge, longest_edge, max_height, max_width } = size as Record<
    string,
    unknown
  >;
  if (isSide(shortest_edge) && (longest_edge === undefined || longest_edge === null))
    return { shortestEdge: shortest_edge };
  if (isSide(shortest_edge) && isSide(longest_edge))
    return { shortestEdge: shortest_edge, longestEdge: longest_edge };
  if (isSide(height) && isSide(width)) return { height, width };
  if (isSide(max_height) && isSide(max_width))
    return { maxHeight: max_height, maxWidth: max_width };
  throw badValue(location, 'size', expected, size);
}

function resampleFilter(location: string, value: unknown): ResampleFilter {
  const filter = typeof value === 'number' ? pilResampleFilters[value] : undefined;
  if (filter === undefined)
    throw badValue(location, 'resample', 'a PIL resampling code from 0 to 5', value);
  return filter;
}

function channelValues(
  location: string,
  key: string,
  value: unknown,
  nonZero: boolean,
): ChannelValues {
  const list = typeof value === 'number' ? [value, value, value] : value;
  const valid =
    Array.isArray(list) &&
    list.length === 3 &&
    list.every((entry) => Number.isFinite(entry) && (!nonZero || entry !== 0));
  if (!valid) {
    const expected = `3 finite${nonZero ? ', non-zero' : ''} numbers (R, G, B) or one number`;
    throw badValue(location, key, expected, value, 'do_normalize is true');
  }
  return [list[0], list[1], list[2]] as unknown as ChannelValues;
}

function padSize(location: string, value: unknown): Size {
  const { height, width } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (!isSide(height) || !isSide(width))
    throw badValue(location, 'pad_size', '{height, width} of positive integers', value);
  return { height, width };
}

function positive(location: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
    throw badValue(location, key, 'a positive number', value);
  return value;
}

function flag(location: string, key: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw badValue(location, key, 'true or false', value);
  return value;
}

function isSide(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1;
}

/** Drops keys set to null, which Hugging Face files use for "not set" (e.g. `"pad_size": null`). */
function withoutNulls(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null));
}

function badValue(
  location: string,
  key: string,
  expected: string,
  value: unknown,
  when?: string,
): AttnError {
  return new AttnError(
    'MODEL_FORMAT',
    `imageProcessorSettings(): ${key} in ${location} must be ${expected}${when ? ` when ${when}` : ''}, got ${describeSetting(value)}`,
    { fix: `correct ${key} in ${location}, or re-export the model's image processor` },
  );
}

/** A config value for a message: objects and arrays as (shortened) JSON, the rest as describeValue does. */
function describeSetting(value: unknown): string {
  if (typeof value !== 'object' || value === null) return describeValue(value);
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
