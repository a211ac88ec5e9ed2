// `pnpm --filter @attn/bench exec tsx src/detect-parity.ts [--model DIR] [--image PATH] [--threshold 0.5]`: attn's detect()
// against transformers.js's object-detection pipeline on the same model folder and image — labels, score order and
// boxes (within 1e-3 pixels) must agree; exits 1 when they do not. detect-parity.test.ts asserts the same on tiny-detr.
// transformers.js also drops a query whose most probable class is no-object, where attn (like transformers) keeps it
// below the threshold; at thresholds of 0.5 and above the two rules keep the same queries (a class above one half is
// the most probable), hence the default.
//
// transformers.js 4.3.1 resizes differently from transformers (a shortest_edge / longest_edge size scales every
// image up until its long side reaches longest_edge) and always sends a 64 x 64 pixel_mask of ones, so the
// default image is one that neither library resizes: longest_edge wide and shortest_edge high.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { env, pipeline } from '@huggingface/transformers';
import { openModelFolder } from '@attn/core-attention/runtime';
import { modelsRoot } from '@attn/models';
import {
  detect,
  imageProcessorSettings,
  loadImage,
  writePng,
  type Box,
  type RgbImage,
  type Size,
} from '@attn/vision';

/** One detection as both sides report it, boxes in pixels. */
export interface ParityObject {
  label: string;
  score: number;
  box: Box;
}

/** Both sides' detections, best first, and how far apart they are. */
export interface DetectParity {
  ours: ParityObject[];
  peer: ParityObject[];
  /** Same number of objects with the same labels in the same (score) order. */
  sameLabels: boolean;
  /** Largest |difference| of a box corner, in pixels, over the objects both have. */
  maxBoxDifference: number;
  maxScoreDifference: number;
}

env.allowRemoteModels = false; // a local folder must never be taken for a Hub id

/**
 * Runs detect() and transformers.js's object-detection pipeline on `imagePath` with `folder` and compares them.
 * Boxes are unclipped on our side (transformers.js does not clip) and unrounded on theirs (`percentage: true`,
 * scaled by the image size here).
 *
 * @example
 * ```ts
 * const parity = await detectParity('packages/core-attention/test-fixtures/tiny-detr', '/tmp/scene.png', 0);
 * parity.sameLabels; // true
 * parity.maxBoxDifference; // 3.8e-6
 * ```
 */
export async function detectParity(
  folder: string,
  imagePath: string,
  threshold: number,
): Promise<DetectParity> {
  const { width, height } = await loadImage(imagePath);
  const detection = await detect(imagePath, { model: folder, threshold, clip: false });
  const ours = detection.objects.map(({ label, score, box }) => ({ label, score, box }));
  const detector = await pipeline('object-detection', folder, { dtype: 'fp32' });
  const found = (await detector(imagePath, { threshold, percentage: true })) as {
    label: string;
    score: number;
    box: { xmin: number; ymin: number; xmax: number; ymax: number };
  }[];
  await detector.dispose();
  const peer = found
    .map(({ label, score, box }) => ({
      label,
      score,
      box: {
        x0: box.xmin * width,
        y0: box.ymin * height,
        x1: box.xmax * width,
        y1: box.ymax * height,
      },
    }))
    .sort((first, second) => second.score - first.score); // stable: ties keep the query order
  let maxBoxDifference = 0;
  let maxScoreDifference = 0;
  ours.forEach((object, index) => {
    const other = peer[index];
    if (other === undefined) return;
    maxScoreDifference = Math.max(maxScoreDifference, Math.abs(object.score - other.score));
    for (const corner of ['x0', 'y0', 'x1', 'y1'] as const)
      maxBoxDifference = Math.max(
        maxBoxDifference,
        Math.abs(object.box[corner] - other.box[corner]),
      );
  });
  const sameLabels =
    ours.length === peer.length && ours.every(({ label }, index) => label === peer[index]?.label);
  return { ours, peer, sameLabels, maxBoxDifference, maxScoreDifference };
}

/**
 * Writes a seeded synthetic scene (coloured rectangles and discs on a noisy background) that neither attn nor
 * transformers.js resizes for `folder`'s preprocessor_config.json, and returns its path.
 *
 * @example
 * ```ts
 * await parityImage('packages/core-attention/test-fixtures/tiny-detr', '/tmp'); // '/tmp/parity-96x64.png'
 * ```
 * @throws {Error} when the processor's size is neither {height, width} nor {shortest_edge, longest_edge?}.
 */
export async function parityImage(folder: string, directory: string): Promise<string> {
  const modelFolder = await openModelFolder(resolve(folder));
  const { resize } = imageProcessorSettings(await modelFolder.readJson('preprocessor_config.json'));
  let size: Size;
  if (resize === null) size = { width: 96, height: 64 };
  else if ('height' in resize) size = resize;
  else if ('shortestEdge' in resize)
    size = { width: resize.longestEdge ?? resize.shortestEdge, height: resize.shortestEdge };
  else
    throw new Error(`parityImage(): no image size avoids resizing for ${JSON.stringify(resize)}`);
  const path = join(directory, `parity-${size.width}x${size.height}.png`);
  await writePng(path, syntheticScene(size, 7));
  return path;
}

/**
 * A deterministic scene for benchmarks and parity: background noise, two rectangles and a disc in saturated colours
 * whose places depend on the seed.
 *
 * @example
 * ```ts
 * const scene = syntheticScene({ width: 96, height: 64 }, 7);
 * scene.data.length; // 18432
 * ```
 */
export function syntheticScene({ width, height }: Size, seed: number): RgbImage {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0; // Numerical Recipes' LCG
    return state / 2 ** 32;
  };
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = 90 + Math.floor(next() * 60);
  const [dx, dy] = [next() * 0.1, next() * 0.1];
  const paint = (inside: (x: number, y: number) => boolean, colour: readonly number[]): void => {
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) if (inside(x, y)) data.set(colour, (y * width + x) * 3);
  };
  paint(
    (x, y) =>
      x > width * (0.1 + dx) &&
      x < width * (0.4 + dx) &&
      y > height * (0.2 + dy) &&
      y < height * (0.6 + dy),
    [220, 40, 40],
  );
  paint(
    (x, y) => x > width * 0.55 && x < width * 0.9 && y > height * 0.5 && y < height * 0.9,
    [40, 90, 220],
  );
  const [cx, cy, r] = [width * (0.7 - dx), height * 0.28, Math.min(width, height) * (0.12 + dy)];
  paint((x, y) => (x - cx) ** 2 + (y - cy) ** 2 < r * r, [240, 200, 30]);
  return { width, height, channels: 3, data };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: resolve(modelsRoot, 'detr-shapes') },
      image: { type: 'string' },
      threshold: { type: 'string', default: '0.5' },
    },
  });
  const folder = resolve(values.model);
  const image =
    values.image ?? (await parityImage(folder, await mkdtemp(join(tmpdir(), 'attn-parity-'))));
  const threshold = Number(values.threshold);
  const parity = await detectParity(folder, image, threshold);
  const describe = (object: ParityObject | undefined): string =>
    object === undefined
      ? '(none)'.padEnd(44)
      : `${object.label.padEnd(10)} ${object.score.toFixed(6)} [${[object.box.x0, object.box.y0, object.box.x1, object.box.y1].map((value) => value.toFixed(3)).join(', ')}]`;
  console.log(`model ${folder}; image ${image}; threshold ${threshold}`);
  console.log(`  #  ${'attn'.padEnd(44)}  transformers.js`);
  for (let index = 0; index < Math.max(parity.ours.length, parity.peer.length); index++)
    console.log(
      `  ${String(index).padEnd(2)} ${describe(parity.ours[index])}  ${describe(parity.peer[index])}`,
    );
  const boxesAgree = parity.maxBoxDifference <= 1e-3;
  console.log(
    `labels and order: ${parity.sameLabels ? 'same' : 'DIFFERENT'}; max |Δ box| ${parity.maxBoxDifference.toExponential(2)} px ` +
      `(${boxesAgree ? 'within' : 'OVER'} 1e-3); max |Δ score| ${parity.maxScoreDifference.toExponential(2)}`,
  );
  if (!parity.sameLabels && parity.ours.length > parity.peer.length)
    console.log(
      'note: transformers.js drops queries whose most probable class is no-object; attn (like transformers) keeps them below threshold 0.5',
    );
  process.exitCode = parity.sameLabels && boxesAgree ? 0 : 1;
}
