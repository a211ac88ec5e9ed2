// `pnpm --filter @attn/eval exec tsx src/detection-map.ts --annotations FILE [--model attn/detr-shapes] [--limit N]`:
// mAP@0.5 and mAP@[.5:.95] (COCO's 101-point interpolation) of detect() on held-out scenes in the COCO-style format
// described in coco-scenes.ts — the numbers of the detection model card, re-measured through the TypeScript
// pipeline. Every query is kept (threshold 0, at most 100 per image, as COCO evaluates).
import { parseArgs } from 'node:util';
import { detect, disposeVisionModels } from '@attn/vision';
import { readScenes } from './coco-scenes.js';
import { meanAveragePrecision, type EvaluatedImage } from './mean-average-precision.js';

const { values } = parseArgs({
  options: {
    annotations: { type: 'string' },
    model: { type: 'string', default: 'attn/detr-shapes' },
    limit: { type: 'string' },
    'batch-size': { type: 'string', default: '8' },
  },
});
if (values.annotations === undefined) {
  console.error(
    'usage: tsx src/detection-map.ts --annotations FILE [--model attn/detr-shapes] [--limit N] [--batch-size 8]',
  );
  process.exit(2);
}
const scenes = readScenes(values.annotations).slice(
  0,
  values.limit === undefined ? undefined : Number(values.limit),
);
const batchSize = Number(values['batch-size']);

const started = performance.now();
const evaluated: EvaluatedImage[] = [];
const labels = new Set<string>();
for (let start = 0; start < scenes.length; start += batchSize) {
  const batch = scenes.slice(start, start + batchSize);
  const detections = await detect(
    batch.map(({ path }) => path),
    { model: values.model, threshold: 0, topK: 100, attention: false, batchSize },
  );
  batch.forEach((scene, index) => {
    const { objects, width, height } = detections[index]!;
    if (width !== scene.width || height !== scene.height)
      console.warn(
        `${scene.path}: the file is ${width} x ${height}, the annotations say ${scene.width} x ${scene.height}`,
      );
    objects.forEach(({ label }) => labels.add(label));
    evaluated.push({
      groundTruth: scene.objects.map(({ category, box }) => ({ category, box })),
      detections: objects.map(({ label, box, score }) => ({ category: label, box, score })),
    });
  });
}
const seconds = (performance.now() - started) / 1000;
const result = meanAveragePrecision(evaluated);
const unknown = [...labels].filter((label) => !result.categories.includes(label));
if (unknown.length > 0)
  console.warn(`labels with no ground truth (not scored): ${unknown.join(', ')}`);

console.log(
  `model ${values.model}; ${scenes.length} scenes of ${values.annotations}; ${seconds.toFixed(1)} s (${(scenes.length / seconds).toFixed(1)} images/s)`,
);
console.log(
  `mAP@0.5 ${result.perThreshold[0]!.toFixed(4)}   mAP@[.5:.95] ${result.mean.toFixed(4)}   (COCO 101-point, max 100 detections per image)`,
);
result.categories.forEach((category, c) => {
  const perThreshold = result.ap.map((row) => row[c]!);
  const mean = perThreshold.reduce((sum, value) => sum + value, 0) / perThreshold.length;
  console.log(
    `  ${category.padEnd(12)} AP@0.5 ${perThreshold[0]!.toFixed(4)}   AP@[.5:.95] ${mean.toFixed(4)}`,
  );
});
console.log(
  `command: pnpm --filter @attn/eval exec tsx src/detection-map.ts ${process.argv.slice(2).join(' ')}`,
);
await disposeVisionModels();
