// `pnpm --filter @attn/bench exec tsx src/segment.ts [--model DIR] [--images 32] [--size 320x240] [--runs 3]`: attn's
// segment() against the same ViT forward pass in transformers.js (its image-classification pipeline: transformers.js
// cannot return attention, so this is the nearest peer) and in attn untapped (the floor: decode, preprocess, run),
// in one process, on the same PNG files — images/s and the cost of tapping attention and building the masks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env, pipeline } from '@huggingface/transformers';
import { EncoderOnlyModel, openModelFolder } from '@attn/core-attention/runtime';
import { modelsRoot } from '@attn/models';
import {
  disposeVisionModels,
  imageProcessorSettings,
  loadImage,
  preprocessImages,
  segment,
  writePng,
} from '@attn/vision';
import { syntheticScene } from './detect-parity.js';
import { formatTable, measure } from './harness/index.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: resolve(modelsRoot, 'vit-shapes') },
    images: { type: 'string', default: '32' },
    size: { type: 'string', default: '320x240' },
    runs: { type: 'string', default: '3' },
  },
});
const folder = resolve(values.model);
const count = Number(values.images);
const runs = Number(values.runs);
const [width, height] = values.size.split('x').map(Number) as [number, number];
const batchSize = 8;

const directory = await mkdtemp(join(tmpdir(), 'attn-bench-segment-'));
const paths: string[] = [];
for (let index = 0; index < count; index++) {
  const path = join(directory, `scene-${index}.png`);
  await writePng(path, syntheticScene({ width, height }, index + 1));
  paths.push(path);
}

env.allowRemoteModels = false;
const peer = await pipeline('image-classification', folder, { dtype: 'fp32' });
const peerClassify = async (): Promise<void> => {
  for (let start = 0; start < count; start += batchSize)
    await peer(paths.slice(start, start + batchSize));
};

const modelFolder = await openModelFolder(folder);
const settings = imageProcessorSettings(await modelFolder.readJson('preprocessor_config.json'));
const untapped = await EncoderOnlyModel.load(modelFolder);
const floor = async (): Promise<void> => {
  for (let start = 0; start < count; start += batchSize) {
    const images = [];
    for (const path of paths.slice(start, start + batchSize)) images.push(await loadImage(path));
    await untapped.run({ pixel_values: preprocessImages(images, settings).pixelValues });
  }
};
const ours = (combine: 'mean' | 'rollout'): Promise<unknown> =>
  segment(paths, { model: folder, combine, batchSize });

console.log(
  `model ${folder}; ${count} synthetic ${width} x ${height} PNG scenes; batches of ${batchSize}; median of ${runs} runs`,
);
const options = { warmup: 1, runs, unitsPerRun: count };
const results = [
  await measure('attn segment() (last layer, mean of heads)', () => ours('mean'), options),
  await measure('attn segment() (rollout, every layer)', () => ours('rollout'), options),
  await measure('attn ViT forward, untapped (floor)', floor, options),
  await measure('transformers.js image-classification', peerClassify, options),
];
console.log(
  formatTable('attention-map segmentation', results, {
    baseline: 'transformers.js image-classification',
    unit: 'images',
  }),
);
const [mean, , bare] = results as [(typeof results)[0], unknown, (typeof results)[0]];
console.log(
  `segment() vs the untapped forward pass: ${(((mean.medianMs - bare.medianMs) / bare.medianMs) * 100).toFixed(1)}% overhead (taps, maps, masks, upsampling)`,
);
await peer.dispose();
await untapped.dispose();
await disposeVisionModels();
await rm(directory, { recursive: true, force: true });
