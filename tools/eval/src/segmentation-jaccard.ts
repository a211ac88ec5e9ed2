// `pnpm --filter @attn/eval exec tsx src/segmentation-jaccard.ts --annotations FILE [--model attn/vit-shapes] [--limit N]
// [--mass 0.6]`: Jaccard of segment()'s attention masks against the ground-truth foreground (the union of every
// object's mask) on held-out scenes in the COCO-style format described in coco-scenes.ts, as DINO scores its masks —
// for the mean of the last layer's heads, for rollout, and per head (the best head reported as DINO does). The
// numbers of the segmentation model card; run it on a random-weights copy of the model for the baseline.
import { parseArgs } from 'node:util';
import { disposeVisionModels, segment, upsampleMask } from '@attn/vision';
import { decodeRle, readScenes } from './coco-scenes.js';
import { maskJaccard } from './mask-jaccard.js';

const { values } = parseArgs({
  options: {
    annotations: { type: 'string' },
    model: { type: 'string', default: 'attn/vit-shapes' },
    limit: { type: 'string' },
    mass: { type: 'string', default: '0.6' },
    'batch-size': { type: 'string', default: '8' },
  },
});
if (values.annotations === undefined) {
  console.error(
    'usage: tsx src/segmentation-jaccard.ts --annotations FILE [--model attn/vit-shapes] [--limit N] [--mass 0.6]',
  );
  process.exit(2);
}
const scenes = readScenes(values.annotations).slice(
  0,
  values.limit === undefined ? undefined : Number(values.limit),
);
const massFraction = Number(values.mass);
const batchSize = Number(values['batch-size']);

/** The union of the objects' masks of a scene, row-major [height, width]. */
function foreground(scene: (typeof scenes)[number]): Uint8Array {
  const union = new Uint8Array(scene.width * scene.height);
  for (const { segmentation } of scene.objects) {
    if (segmentation === undefined) throw new Error(`${scene.path}: an object has no segmentation`);
    if (segmentation.size[0] !== scene.height || segmentation.size[1] !== scene.width)
      throw new Error(
        `${scene.path}: a mask of size ${segmentation.size.join(' x ')} (h x w) on a ${scene.width} x ${scene.height} image`,
      );
    decodeRle(segmentation).forEach((inside, pixel) => {
      if (inside === 1) union[pixel] = 1;
    });
  }
  return union;
}

const started = performance.now();
const sums = { mean: 0, rollout: 0, heads: [] as number[] };
for (let start = 0; start < scenes.length; start += batchSize) {
  const batch = scenes.slice(start, start + batchSize);
  const paths = batch.map(({ path }) => path);
  const options = { model: values.model, massFraction, batchSize };
  const [byMean, byRollout] = [
    await segment(paths, { ...options, combine: 'mean' }),
    await segment(paths, { ...options, combine: 'rollout' }),
  ];
  batch.forEach((scene, index) => {
    const truth = foreground(scene);
    const mean = byMean[index]!;
    sums.mean += maskJaccard(mean.masks.upsampled!, truth);
    sums.rollout += maskJaccard(byRollout[index]!.masks.upsampled!, truth);
    mean.masks.perHead.forEach((mask, head) => {
      const { rows, cols } = mean.grid;
      const upsampled = upsampleMask(mask, rows, cols, mean.width, mean.height);
      sums.heads[head] = (sums.heads[head] ?? 0) + maskJaccard(upsampled, truth);
    });
  });
}
const seconds = (performance.now() - started) / 1000;
const average = (sum: number): string => (sum / scenes.length).toFixed(4);
const bestHead = sums.heads.indexOf(Math.max(...sums.heads));

console.log(
  `model ${values.model}; ${scenes.length} scenes of ${values.annotations}; mass fraction ${massFraction}; ${seconds.toFixed(1)} s`,
);
console.log(`Jaccard, mean of the last layer's heads: ${average(sums.mean)}`);
console.log(`Jaccard, attention rollout:               ${average(sums.rollout)}`);
console.log(
  `Jaccard, best head (head ${bestHead}):              ${average(sums.heads[bestHead]!)}`,
);
console.log(`  per head: ${sums.heads.map((sum, head) => `${head}: ${average(sum)}`).join('  ')}`);
console.log(
  `command: pnpm --filter @attn/eval exec tsx src/segmentation-jaccard.ts ${process.argv.slice(2).join(' ')}`,
);
await disposeVisionModels();
