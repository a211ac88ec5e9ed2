// The held-out scenes of the synthetic-scenes recipe, read from COCO-style JSON (https://cocodataset.org/#format-data)
// limited to what detection and segmentation evaluation need. The format the recipe must write:
//
//   {
//     "images":      [{ "id": 1, "file_name": "images/000001.png", "width": 320, "height": 256 }, …],
//     "categories":  [{ "id": 0, "name": "circle" }, …],
//     "annotations": [{ "id": 7, "image_id": 1, "category_id": 0,
//                       "bbox": [x, y, width, height],
//                       "segmentation": { "size": [height, width], "counts": [5, 12, 40, …] } }, …]
//   }
//
// - file_name is relative to the folder of the JSON file (an absolute path also works).
// - Category names are the detector's labels (id2label values of attn/detr-shapes), matched by name.
// - bbox is COCO's: top-left corner and size in pixels of the original image, floats allowed.
// - segmentation is COCO's uncompressed run-length encoding of the object's visible mask: the mask read column by
//   column (Fortran order), counts alternating runs of 0s and 1s starting with 0s (a mask whose first pixel is 1
//   starts with a count of 0), summing to height × width. With NumPy, for a boolean mask [height, width]:
//     flat = mask.flatten(order="F")
//     counts = np.diff(np.flatnonzero(np.diff(np.r_[-1, flat, -1]))).tolist()
//     if flat[0]: counts = [0] + counts
//   Only segmentation evaluation reads it; it may be left out for detection. iscrowd is not supported.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Box } from '@attn/vision';

/** One annotated object. */
export interface SceneObject {
  category: string;
  box: Box;
  /** COCO uncompressed RLE, when the annotation has one (decode with {@link decodeRle}). */
  segmentation: { size: [number, number]; counts: number[] } | undefined;
}

/** One image of the set, with its objects. */
export interface Scene {
  id: number;
  /** Absolute path of the image file. */
  path: string;
  width: number;
  height: number;
  objects: SceneObject[];
}

/**
 * Reads and checks a COCO-style annotation file in the format above.
 *
 * @example
 * ```ts
 * const scenes = readScenes('data/scenes-heldout/annotations.json');
 * scenes[0]; // { id: 1, path: '/…/images/000001.png', width: 320, height: 256, objects: [{ category: 'circle', box, segmentation }] }
 * ```
 * @throws {Error} naming the file and the entry when the JSON does not follow the format.
 */
export function readScenes(annotationsPath: string): Scene[] {
  const file = resolve(annotationsPath);
  const fail = (what: string): never => {
    throw new Error(
      `readScenes(): ${file}: ${what} (see the format in tools/eval/src/coco-scenes.ts)`,
    );
  };
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const list = (key: string): Record<string, unknown>[] =>
    Array.isArray(json[key])
      ? (json[key] as Record<string, unknown>[])
      : fail(`"${key}" must be an array`);
  const categories = new Map<unknown, string>();
  for (const category of list('categories')) {
    if (typeof category['name'] !== 'string')
      fail(`category ${JSON.stringify(category)} has no name`);
    categories.set(category['id'], category['name'] as string);
  }
  const scenes = new Map<unknown, Scene>();
  for (const image of list('images')) {
    const { id, file_name: name, width, height } = image;
    if (typeof name !== 'string' || !Number.isInteger(width) || !Number.isInteger(height))
      fail(`image ${JSON.stringify(image)} needs file_name, width and height`);
    scenes.set(id, {
      id: id as number,
      path: resolve(dirname(file), name as string),
      width: width as number,
      height: height as number,
      objects: [],
    });
  }
  for (const annotation of list('annotations')) {
    const scene = scenes.get(annotation['image_id']);
    const category = categories.get(annotation['category_id']);
    const bbox = annotation['bbox'];
    if (scene === undefined || category === undefined)
      fail(`annotation ${String(annotation['id'])} names an unknown image or category`);
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(Number.isFinite))
      fail(`annotation ${String(annotation['id'])} needs bbox [x, y, width, height]`);
    const [x, y, width, height] = bbox as [number, number, number, number];
    const segmentation = annotation['segmentation'] as SceneObject['segmentation'] | undefined;
    if (
      segmentation !== undefined &&
      (!Array.isArray(segmentation.size) || !Array.isArray(segmentation.counts))
    )
      fail(
        `annotation ${String(annotation['id'])}: segmentation must be {size: [h, w], counts: [...]}`,
      );
    scene!.objects.push({
      category: category!,
      box: { x0: x, y0: y, x1: x + width, y1: y + height },
      segmentation,
    });
  }
  return [...scenes.values()];
}

/**
 * The mask of a COCO uncompressed RLE as a row-major 0/1 Uint8Array [height, width].
 *
 * @example
 * ```ts
 * // 2 x 3 (h x w), column-major runs: 1 zero, 3 ones, 2 zeros -> columns [0,1], [1,1], [0,0]
 * decodeRle({ size: [2, 3], counts: [1, 3, 2] }); // Uint8Array [0, 1, 0, 1, 1, 0] (rows [0,1,0] and [1,1,0])
 * ```
 * @throws {Error} when the counts are negative or do not sum to height × width.
 */
export function decodeRle(rle: {
  size: readonly [number, number];
  counts: readonly number[];
}): Uint8Array {
  const [height, width] = rle.size;
  const mask = new Uint8Array(height * width);
  let position = 0; // column-major index
  rle.counts.forEach((count, run) => {
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`decodeRle(): counts must be non-negative integers, got ${count}`);
    if (run % 2 === 1)
      for (let i = position; i < position + count; i++)
        mask[(i % height) * width + Math.floor(i / height)] = 1;
    position += count;
  });
  if (position !== height * width)
    throw new Error(
      `decodeRle(): counts sum to ${position}, not height × width = ${height * width}`,
    );
  return mask;
}
