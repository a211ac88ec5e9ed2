import { join } from 'node:path';
import type { Tensor } from '@attn/core-attention';
import { EncoderOnlyModel, openModelFolder, SessionCache } from '@attn/core-attention/runtime';
import { randomInt, repositoryRoot, seededRandom } from '@attn/core-attention/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../image/rgb-image.js';
import { disposeVisionModels } from '../pipeline/vision-model.js';
import { imageProcessorSettings } from '../preprocess/image-processor-settings.js';
import { preprocessImages } from '../preprocess/preprocess-images.js';
import { detect, type Detection } from './detect.js';

const model = join(repositoryRoot(), 'packages/core-attention/test-fixtures/tiny-detr');
const sessions = new SessionCache();

function randomImage(seed: number, width: number, height: number): RgbImage {
  const random = seededRandom(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = randomInt(random, 0, 256);
  return { width, height, channels: 3, data };
}

// tiny-detr resizes to shortest edge 64 (longest 96) and its backbone has stride 8. A (80 x 64) and B (64 x 88)
// keep their size and pad to an 80 x 88 batch; C (40 x 32) is resized to 80 x 64 first.
const imageA = randomImage(1, 80, 64);
const imageB = randomImage(2, 64, 88);
const imageC = randomImage(3, 40, 32);

/** The fixture run directly: logits, pred_boxes and both layers' cross-attention for a batch. */
interface RawRun {
  logits: Tensor<'float32'>;
  boxes: Tensor<'float32'>;
  cross: Tensor<'float32'>[];
}
let raw: RawRun;

beforeAll(async () => {
  const folder = await openModelFolder(model);
  const settings = imageProcessorSettings(await folder.readJson('preprocessor_config.json'));
  const detr = await EncoderOnlyModel.load(folder, { sessions, attention: { cross: 'all' } });
  const { pixelValues, pixelMask } = preprocessImages([imageA, imageB, imageC], settings);
  const { outputs, attention } = await detr.run({
    pixel_values: pixelValues,
    pixel_mask: pixelMask!,
  });
  raw = {
    logits: outputs['logits'] as Tensor<'float32'>,
    boxes: outputs['pred_boxes'] as Tensor<'float32'>,
    cross: [attention.get('attn.cross.0')!, attention.get('attn.cross.1')!],
  };
});
afterAll(async () => {
  await sessions.dispose();
  await disposeVisionModels();
});

const byQuery = (detection: Detection) =>
  [...detection.objects].sort((first, second) => first.query - second.query);

describe('detect', () => {
  it('maps the raw pred_boxes of a padded, partly resized batch back to each original image', async () => {
    const detections = await detect([imageA, imageB, imageC], { model, threshold: 0, clip: false });
    expect(detections.map(({ width, height }) => [width, height])).toEqual([
      [80, 64],
      [64, 88],
      [40, 32],
    ]);
    detections.forEach((detection, b) => {
      const objects = byQuery(detection);
      expect(objects.map(({ query }) => query)).toEqual([0, 1, 2, 3, 4]);
      for (const { query, box } of objects) {
        // pred_boxes are (cx, cy, w, h) as fractions of the image itself, whatever the padding and resizing
        const [cx, cy, w, h] = raw.boxes.data.subarray(
          (b * 5 + query) * 4,
          (b * 5 + query + 1) * 4,
        );
        const { width, height } = detection;
        expect(box.x0).toBeCloseTo((cx! - w! / 2) * width, 9);
        expect(box.y0).toBeCloseTo((cy! - h! / 2) * height, 9);
        expect(box.x1).toBeCloseTo((cx! + w! / 2) * width, 9);
        expect(box.y1).toBeCloseTo((cy! + h! / 2) * height, 9);
      }
    });
  });

  it('clips boxes to the image by default', async () => {
    const strip = randomImage(4, 96, 8); // resized to 96 x 8: the boxes of a thin strip may overhang it
    const images = [imageA, imageB, imageC, strip];
    const clipped = await detect(images, { model, threshold: 0 });
    const unclipped = await detect(images, { model, threshold: 0, clip: false });
    clipped.forEach((detection, image) => {
      const clamp = (value: number, limit: number) => Math.min(Math.max(value, 0), limit);
      detection.objects.forEach(({ box }, index) => {
        const free = unclipped[image]!.objects[index]!.box;
        expect(box).toEqual({
          x0: clamp(free.x0, detection.width),
          y0: clamp(free.y0, detection.height),
          x1: clamp(free.x1, detection.width),
          y1: clamp(free.y1, detection.height),
        });
      });
    });
  });

  it('scores each query with a softmax over all classes and labels it with its best real class', async () => {
    const detections = await detect([imageA, imageB, imageC], { model, threshold: 0 });
    const labels = ['circle', 'square', 'triangle'];
    detections.forEach((detection, b) => {
      const scores = detection.objects.map(({ score }) => score);
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
      for (const { query, score, labelId, label } of detection.objects) {
        // independent float64 softmax over the 3 labels + no-object
        const logits = Array.from(
          raw.logits.data.subarray((b * 5 + query) * 4, (b * 5 + query + 1) * 4),
        );
        const exps = logits.map(Math.exp);
        const total = exps.reduce((sum, value) => sum + value, 0);
        const probabilities = exps.map((value) => value / total);
        const best = probabilities.slice(0, 3).indexOf(Math.max(...probabilities.slice(0, 3)));
        expect(labelId).toBe(best);
        expect(label).toBe(labels[best]);
        expect(score).toBeCloseTo(probabilities[best]!, 12);
      }
    });
  });

  it('gives each object its query cross-attention over the real feature cells, summing to 1', async () => {
    const [a, b] = await detect([imageA, imageB], { model, threshold: 0 });
    // 80 x 88 batch input, stride 8: a 10 x 11 feature map; A covers 10 x 8 cells, B 8 x 11.
    expect(a!.grid).toEqual({ rows: 8, cols: 10 });
    expect(b!.grid).toEqual({ rows: 11, cols: 8 });
    expect(a!.attention!.dims).toEqual([1, 4, 5, 80]);
    expect(a!.attention!.layers).toEqual([1]);
    const last = raw.cross[1]!; // the raw batch had C too: [3, 4, 5, 110]
    expect(last.dims).toEqual([3, 4, 5, 110]);
    [a!, b!].forEach((detection, image) => {
      const { rows, cols } = detection.grid;
      for (const { query, attention } of detection.objects) {
        expect(attention!.length).toBe(rows * cols);
        let sum = 0;
        for (let r = 0; r < 11; r++) {
          for (let c = 0; c < 10; c++) {
            let mean = 0;
            for (let head = 0; head < 4; head++)
              mean += last.data[((image * 4 + head) * 5 + query) * 110 + r * 10 + c]! / 4;
            // the model masks the padding: cells outside the real block get no attention at all
            if (r >= rows || c >= cols) expect(mean).toBe(0);
            else expect(attention![r * cols + c]).toBeCloseTo(mean, 6);
          }
        }
        for (const value of attention!) sum += value;
        expect(sum).toBeCloseTo(1, 5);
      }
    });
  });

  it("averages every layer's map with attentionLayers 'all'", async () => {
    const detection = await detect(imageA, { model, threshold: 0, attentionLayers: 'all' });
    expect(detection.attention!.layers).toEqual([0, 1]);
    for (const { query, attention } of detection.objects) {
      for (let cell = 0; cell < 80; cell++) {
        const [r, c] = [Math.floor(cell / 10), cell % 10];
        let mean = 0;
        for (const layer of raw.cross)
          for (let head = 0; head < 4; head++)
            mean += layer.data[(head * 5 + query) * 110 + r * 10 + c]! / 8;
        expect(attention![cell]).toBeCloseTo(mean, 6);
      }
    }
  });

  it('gives the same result for a batch of two different-size images as for each alone', async () => {
    const batch = await detect([imageA, imageB], { model, threshold: 0 });
    const alone = [
      await detect(imageA, { model, threshold: 0 }),
      await detect(imageB, { model, threshold: 0 }),
    ];
    batch.forEach((detection, image) => {
      const single = alone[image]!;
      expect(detection.grid).toEqual(single.grid);
      expect(detection.objects.map(({ query }) => query)).toEqual(
        single.objects.map(({ query }) => query),
      );
      detection.objects.forEach((object, index) => {
        const other = single.objects[index]!;
        expect(object.labelId).toBe(other.labelId);
        expect(object.score).toBeCloseTo(other.score, 5);
        for (const corner of ['x0', 'y0', 'x1', 'y1'] as const)
          expect(Math.abs(object.box[corner] - other.box[corner])).toBeLessThan(1e-3);
        object.attention!.forEach((value, cell) =>
          expect(value).toBeCloseTo(other.attention![cell]!, 5),
        );
      });
    });
  });

  it('filters by threshold and topK, and runs untapped with attention off', async () => {
    const all = await detect(imageA, { model, threshold: 0 });
    const scores = all.objects.map(({ score }) => score);
    const cut = (scores[1]! + scores[2]!) / 2;
    expect((await detect(imageA, { model, threshold: cut })).objects).toHaveLength(2);
    expect(
      (await detect(imageA, { model, threshold: 0, topK: 3 })).objects.map(({ query }) => query),
    ).toEqual(all.objects.slice(0, 3).map(({ query }) => query));
    // tiny-detr's random scores are all near 1/4, under the default 0.5
    expect((await detect(imageA, { model })).objects).toEqual([]);

    const untapped = await detect(imageA, { model, threshold: 0, attention: false });
    expect(untapped.attention).toBeUndefined();
    expect(untapped.grid).toEqual({ rows: 0, cols: 0 });
    untapped.objects.forEach((object, index) => {
      expect(object.attention).toBeUndefined();
      expect(object.box).toEqual(all.objects[index]!.box);
      expect(object.score).toBe(all.objects[index]!.score);
    });
  });
});
