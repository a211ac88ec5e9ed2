// `pnpm --filter @attn/bench exec tsx src/detect.ts [--model DIR] [--images 32] [--runs 3]`: attn's detect() against
// transformers.js's object-detection pipeline on the same model folder and PNG files, in one process — images/s
// batched and one at a time (transformers.js takes one image per call), and attn's cost of returning attention.
// The images are synthetic scenes of a size neither library resizes (see detect-parity.ts), so both run the same
// model input.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env, pipeline } from '@huggingface/transformers';
import { modelsRoot } from '@attn/models';
import { detect, disposeVisionModels, loadImage, writePng } from '@attn/vision';
import { parityImage, syntheticScene } from './detect-parity.js';
import { formatTable, measure } from './harness/index.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: resolve(modelsRoot, 'detr-shapes') },
    images: { type: 'string', default: '32' },
    runs: { type: 'string', default: '3' },
  },
});
const folder = resolve(values.model);
const count = Number(values.images);
const runs = Number(values.runs);

const directory = await mkdtemp(join(tmpdir(), 'attn-bench-detect-'));
const size = await loadImage(await parityImage(folder, directory));
const paths: string[] = [];
for (let index = 0; index < count; index++) {
  const path = join(directory, `scene-${index}.png`);
  await writePng(path, syntheticScene(size, index + 1));
  paths.push(path);
}

env.allowRemoteModels = false;
const peer = await pipeline('object-detection', folder, { dtype: 'fp32' });
const threshold = 0.5;
const peerDetect = async (images: string[]): Promise<void> => {
  for (const image of images) await peer(image, { threshold });
};
const ours = (images: string[], attention: boolean, batchSize: number): Promise<unknown> =>
  detect(images, { model: folder, threshold, attention, batchSize });
const oneAtATime = async (attention: boolean): Promise<void> => {
  for (const image of paths) await ours([image], attention, 1);
};

console.log(
  `model ${folder}; ${count} synthetic ${size.width} x ${size.height} PNG scenes; threshold ${threshold}; median of ${runs} runs`,
);
const options = { warmup: 1, runs, unitsPerRun: count };
const batched = [
  await measure('attn, batches of 8 (attention on)', () => ours(paths, true, 8), options),
  await measure('attn, batches of 8 (attention off)', () => ours(paths, false, 8), options),
  await measure('attn, one at a time (attention on)', () => oneAtATime(true), options),
  await measure('attn, one at a time (attention off)', () => oneAtATime(false), options),
  await measure('transformers.js', () => peerDetect(paths), options),
];
console.log(
  formatTable('object detection', batched, { baseline: 'transformers.js', unit: 'images' }),
);
const overhead = (on: number, off: number): string =>
  `${(((batched[on]!.medianMs - batched[off]!.medianMs) / batched[off]!.medianMs) * 100).toFixed(1)}%`;
console.log(
  `attention on vs off: ${overhead(0, 1)} overhead batched, ${overhead(2, 3)} one at a time`,
);
await peer.dispose();
await disposeVisionModels();
await rm(directory, { recursive: true, force: true });
