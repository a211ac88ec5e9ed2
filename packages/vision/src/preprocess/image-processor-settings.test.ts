import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttnError } from '@attn/core-attention';
import { repositoryRoot } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { imageProcessorSettings } from './image-processor-settings.js';

function settingsError(config: unknown): AttnError {
  try {
    imageProcessorSettings(config);
  } catch (error) {
    expect(AttnError.is(error)).toBe(true);
    return error as AttnError;
  }
  throw new Error('expected imageProcessorSettings to throw');
}

describe('imageProcessorSettings', () => {
  it('reads a complete ViTImageProcessor file as written by transformers', () => {
    const settings = imageProcessorSettings({
      do_normalize: true,
      do_rescale: true,
      do_resize: true,
      image_mean: [0.5, 0.5, 0.5],
      image_processor_type: 'ViTImageProcessor',
      image_std: [0.5, 0.5, 0.5],
      resample: 2,
      rescale_factor: 0.00392156862745098,
      size: { height: 224, width: 224 },
    });
    expect(settings).toEqual({
      resize: { height: 224, width: 224 },
      resample: 'bilinear',
      rescaleFactor: 0.00392156862745098,
      normalize: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
      pad: 'none',
    });
  });

  it('reads the tiny DETR and ViT fixtures exported by tools/model-zoo', () => {
    const read = (name: string): unknown =>
      JSON.parse(
        readFileSync(
          join(
            repositoryRoot(),
            'packages/core-attention/test-fixtures',
            name,
            'preprocessor_config.json',
          ),
          'utf8',
        ),
      );
    expect(imageProcessorSettings(read('tiny-detr'))).toEqual({
      resize: { shortestEdge: 64, longestEdge: 96 },
      resample: 'bilinear',
      rescaleFactor: 0.00392156862745098,
      normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      pad: 'batch',
    });
    expect(imageProcessorSettings(read('tiny-vit'))).toMatchObject({
      resize: { height: 32, width: 32 },
      pad: 'none',
    });
  });

  it('fills what a file leaves out with its class defaults', () => {
    expect(
      imageProcessorSettings({
        image_processor_type: 'DetrImageProcessor',
        size: { shortest_edge: 128, longest_edge: 256 },
      }),
    ).toEqual({
      resize: { shortestEdge: 128, longestEdge: 256 },
      resample: 'bilinear',
      rescaleFactor: 1 / 255,
      normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      pad: 'batch',
    });
    expect(imageProcessorSettings({ feature_extractor_type: 'ViTFeatureExtractor' })).toMatchObject(
      {
        resize: { height: 224, width: 224 },
        normalize: { mean: [0.5, 0.5, 0.5] },
      },
    );
    // The generic base class: no resize without a size, no normalisation unless asked.
    expect(imageProcessorSettings({})).toEqual({
      resize: null,
      resample: 'bilinear',
      rescaleFactor: 1 / 255,
      normalize: null,
      pad: 'none',
    });
  });

  it('reads the older integer size: a square for ViT, shortest / longest edge for DETR', () => {
    expect(
      imageProcessorSettings({ image_processor_type: 'ViTImageProcessor', size: 32, resample: 3 }),
    ).toMatchObject({ resize: { height: 32, width: 32 }, resample: 'bicubic' });
    expect(
      imageProcessorSettings({
        feature_extractor_type: 'DetrFeatureExtractor',
        size: 800,
        max_size: 1333,
      }).resize,
    ).toEqual({ shortestEdge: 800, longestEdge: 1333 });
    expect(
      imageProcessorSettings({ feature_extractor_type: 'DetrFeatureExtractor', size: 600 }).resize,
    ).toEqual({ shortestEdge: 600, longestEdge: 1333 });
  });

  it('honours switches, pad_size, a scalar mean and nulls', () => {
    const settings = imageProcessorSettings({
      image_processor_type: 'DetrImageProcessor',
      do_rescale: false,
      do_resize: false,
      image_mean: 127.5,
      image_std: 127.5,
      pad_size: { height: 64, width: 96 },
      resample: null,
    });
    expect(settings).toEqual({
      resize: null,
      resample: 'bilinear',
      rescaleFactor: null,
      normalize: { mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] },
      pad: { height: 64, width: 96 },
    });
    expect(
      imageProcessorSettings({ size: { max_height: 50, max_width: 70 }, do_pad: false }).resize,
    ).toEqual({ maxHeight: 50, maxWidth: 70 });
  });

  it('gives MODEL_FORMAT for malformed values and UNSUPPORTED for geometry it does not implement', () => {
    expect(settingsError([]).message).toBe(
      "imageProcessorSettings(): preprocessor_config.json must hold a JSON object, got []. Fix: check that preprocessor_config.json is the image processor's configuration.",
    );
    expect(settingsError({ size: { height: 224 } }).message).toContain(
      'imageProcessorSettings(): size in preprocessor_config.json must be {height, width}, {shortest_edge, longest_edge?}, {max_height, max_width} or a positive integer, got {"height":224}',
    );
    expect(settingsError({ resample: 9 }).message).toContain(
      'resample in preprocessor_config.json must be a PIL resampling code from 0 to 5, got 9',
    );
    expect(
      settingsError({ do_normalize: true, image_mean: [0.5, 0.5], image_std: 0.5 }).message,
    ).toContain(
      'image_mean in preprocessor_config.json must be 3 finite numbers (R, G, B) or one number when do_normalize is true, got [0.5,0.5]',
    );
    expect(settingsError({ do_normalize: true, image_mean: 0, image_std: [1, 0, 1] }).code).toBe(
      'MODEL_FORMAT',
    );
    expect(settingsError({ rescale_factor: -1 }).code).toBe('MODEL_FORMAT');
    expect(settingsError({ do_resize: 'yes' }).message).toContain(
      "do_resize in preprocessor_config.json must be true or false, got 'yes'",
    );
    const crop = settingsError({ do_center_crop: true, crop_size: 224 });
    expect(crop.code).toBe('UNSUPPORTED');
    expect(crop.message).toContain(
      'preprocessor_config.json sets do_center_crop, which @attn/vision does not implement',
    );
  });
});
