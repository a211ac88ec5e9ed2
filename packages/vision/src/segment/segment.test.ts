import { join } from 'node:path';
import type { Tensor } from '@attn/core-attention';
import { EncoderOnlyModel, openModelFolder, SessionCache } from '@attn/core-attention/runtime';
import { randomInt, repositoryRoot, seededRandom } from '@attn/core-attention/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../image/rgb-image.js';
import { disposeVisionModels } from '../pipeline/vision-model.js';
import { imageProcessorSettings } from '../preprocess/image-processor-settings.js';
import { preprocessImages } from '../preprocess/preprocess-images.js';
import { attentionMassMask } from './attention-mass-mask.js';
import { segment } from './segment.js';

// tiny-vit: 32 x 32 input, patch_size 8 (a 4 x 4 grid), 4 heads, 2 layers; tokens [CLS] + 16 patches.
const model = join(repositoryRoot(), 'packages/core-attention/test-fixtures/tiny-vit');
const sessions = new SessionCache();
const T = 17;

function randomImage(seed: number, width: number, height: number): RgbImage {
  const random = seededRandom(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = randomInt(random, 0, 256);
  return { width, height, channels: 3, data };
}
const wide = randomImage(5, 48, 20);
const tall = randomImage(6, 30, 41);

/** Both layers' self-attention of the fixture run directly on [wide, tall]: [2, 4, 17, 17] each. */
let layers: Tensor<'float32'>[];
beforeAll(async () => {
  const folder = await openModelFolder(model);
  const settings = imageProcessorSettings(await folder.readJson('preprocessor_config.json'));
  const vit = await EncoderOnlyModel.load(folder, { sessions, attention: { encoder_self: 'all' } });
  const { attention } = await vit.run({
    pixel_values: preprocessImages([wide, tall], settings).pixelValues,
  });
  layers = [attention.get('attn.encoder_self.0')!, attention.get('attn.encoder_self.1')!];
});
afterAll(async () => {
  await sessions.dispose();
  await disposeVisionModels();
});

/** A[b, head, query, key] of a raw layer. */
const weight = (layer: number, b: number, head: number, query: number, key: number) =>
  layers[layer]!.data[((b * 4 + head) * T + query) * T + key]!;

describe('segment', () => {
  it("returns the last layer's [CLS] -> patch attention per head, with DINO masks and their mean", async () => {
    const result = await segment(wide, { model });
    expect([result.width, result.height]).toEqual([48, 20]);
    expect(result.grid).toEqual({ rows: 4, cols: 4 });
    expect(result.attention.dims).toEqual([1, 4, T, T]);
    expect(result.attention.layers).toEqual([1]);
    expect(result.attention.keyLabels.slice(0, 3)).toEqual(['[CLS]', '0,0', '0,1']);
    expect(result.maps).toHaveLength(4);
    result.maps.forEach((map, head) => {
      expect(map).toHaveLength(16);
      map.forEach((value, patch) => expect(value).toBeCloseTo(weight(1, 0, head, 0, 1 + patch), 6));
      expect(result.masks.perHead[head]).toEqual(attentionMassMask(map, 0.6));
    });
    result.combinedMap.forEach((value, patch) => {
      let mean = 0;
      for (let head = 0; head < 4; head++) mean += weight(1, 0, head, 0, 1 + patch) / 4;
      expect(value).toBeCloseTo(mean, 6);
    });
    const { combined, upsampled } = result.masks;
    expect(combined).toEqual(attentionMassMask(result.combinedMap, 0.6));
    expect(upsampled).toHaveLength(48 * 20);
    // pixel (x, y) takes patch (floor((y + .5) x 4 / 20), floor((x + .5) x 4 / 48))
    expect(upsampled![7 * 48 + 30]).toBe(combined[1 * 4 + 2]);
    expect(upsampled![19 * 48 + 47]).toBe(combined[15]);
  });

  it("combines with the [CLS] row of attention rollout when asked (Abnar & Zuidema's rule)", async () => {
    const result = await segment(wide, { model, combine: 'rollout', upsample: false });
    expect(result.attention.layers).toEqual([0, 1]);
    expect(result.masks.upsampled).toBeUndefined();
    // float64 reference: Ã_l = 0.5 mean_h A_l + 0.5 I (rows renormalised), R = Ã_1 · Ã_0
    const mixed = [0, 1].map((layer) =>
      Array.from({ length: T }, (_, query) => {
        const row = Array.from({ length: T }, (_, key) => {
          let mean = 0;
          for (let head = 0; head < 4; head++) mean += weight(layer, 0, head, query, key) / 4;
          return 0.5 * mean + (key === query ? 0.5 : 0);
        });
        const total = row.reduce((sum, value) => sum + value, 0);
        return row.map((value) => value / total);
      }),
    );
    const clsRow = Array.from({ length: T }, (_, key) => {
      let sum = 0;
      for (let k = 0; k < T; k++) sum += mixed[1]![0]![k]! * mixed[0]![k]![key]!;
      return sum;
    });
    result.combinedMap.forEach((value, patch) => expect(value).toBeCloseTo(clsRow[1 + patch]!, 6));
    expect(result.masks.combined).toEqual(attentionMassMask(result.combinedMap, 0.6));
  });

  it('keeps more patches for a larger mass fraction', async () => {
    const count = (mask: Uint8Array) => mask.reduce((sum, value) => sum + value, 0);
    const [loose, tight] = [
      await segment(tall, { model, massFraction: 0.9 }),
      await segment(tall, { model, massFraction: 0.3 }),
    ];
    expect(count(loose!.masks.combined)).toBeGreaterThan(count(tight!.masks.combined));
    tight!.masks.combined.forEach((kept, patch) => {
      if (kept === 1) expect(loose!.masks.combined[patch]).toBe(1);
    });
  });

  it('gives the same result for a batch of two different-size images as for each alone', async () => {
    const batch = await segment([wide, tall], { model });
    const alone = [await segment(wide, { model }), await segment(tall, { model })];
    batch.forEach((result, image) => {
      const single = alone[image]!;
      expect([result.width, result.height]).toEqual([single.width, single.height]);
      result.maps.forEach((map, head) =>
        map.forEach((value, patch) => expect(value).toBeCloseTo(single.maps[head]![patch]!, 6)),
      );
      expect(result.masks).toEqual(single.masks);
      // and the batch saw the raw maps of its own row
      expect(result.maps[2]![5]).toBeCloseTo(weight(1, image, 2, 0, 6), 6);
    });
  });
});
