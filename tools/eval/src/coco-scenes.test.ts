import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRle, readScenes } from './coco-scenes.js';
import { maskJaccard } from './mask-jaccard.js';

const folder = await mkdtemp(join(tmpdir(), 'attn-coco-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('readScenes', () => {
  it('reads images, categories by name, boxes as corners and paths beside the JSON', async () => {
    const path = join(folder, 'annotations.json');
    await writeFile(
      path,
      JSON.stringify({
        images: [
          { id: 3, file_name: 'images/a.png', width: 4, height: 2 },
          { id: 9, file_name: 'images/b.png', width: 8, height: 8 },
        ],
        categories: [
          { id: 0, name: 'circle' },
          { id: 5, name: 'star' },
        ],
        annotations: [
          {
            id: 1,
            image_id: 3,
            category_id: 5,
            bbox: [1, 0.5, 2, 1.5],
            segmentation: { size: [2, 4], counts: [2, 3, 3] },
          },
          { id: 2, image_id: 3, category_id: 0, bbox: [0, 0, 1, 1] },
        ],
      }),
    );
    const scenes = readScenes(path);
    expect(scenes.map(({ id, path: file, objects }) => [id, file, objects.length])).toEqual([
      [3, join(folder, 'images/a.png'), 2],
      [9, join(folder, 'images/b.png'), 0],
    ]);
    expect(scenes[0]!.objects[0]).toEqual({
      category: 'star',
      box: { x0: 1, y0: 0.5, x1: 3, y1: 2 },
      segmentation: { size: [2, 4], counts: [2, 3, 3] },
    });
    expect(scenes[0]!.objects[1]!.segmentation).toBeUndefined();
  });

  it('names the file and the entry when the format is wrong', async () => {
    const path = join(folder, 'bad.json');
    await writeFile(
      path,
      JSON.stringify({
        images: [{ id: 1, file_name: 'a.png', width: 4, height: 4 }],
        categories: [{ id: 0, name: 'circle' }],
        annotations: [{ id: 4, image_id: 1, category_id: 0, bbox: [0, 0, 1] }],
      }),
    );
    expect(() => readScenes(path)).toThrow(
      `readScenes(): ${path}: annotation 4 needs bbox [x, y, width, height]`,
    );
  });
});

describe('decodeRle', () => {
  it('decodes column-major runs that start with zeros', () => {
    // 2 x 4 (h x w), runs 2 zeros, 3 ones, 3 zeros over the columns: column 0 = [0, 0], column 1 = [1, 1],
    // column 2 = [1, 0], column 3 = [0, 0]; row-major: [0, 1, 1, 0] and [0, 1, 0, 0]
    expect(decodeRle({ size: [2, 4], counts: [2, 3, 3] })).toEqual(
      new Uint8Array([0, 1, 1, 0, 0, 1, 0, 0]),
    );
    // a mask starting with a 1 starts with a zero-length run of zeros
    expect(decodeRle({ size: [1, 3], counts: [0, 1, 2] })).toEqual(new Uint8Array([1, 0, 0]));
  });

  it('matches the NumPy recipe of the format comment on a random mask', () => {
    const height = 5;
    const width = 7;
    const mask = Uint8Array.from({ length: height * width }, (_, i) =>
      (i * 7919) % 11 < 4 ? 1 : 0,
    );
    // the recipe's counts, computed the plain way: runs of the column-major sequence, starting with zeros
    const flat = Array.from(
      { length: height * width },
      (_, i) => mask[(i % height) * width + Math.floor(i / height)]!,
    );
    const counts: number[] = flat[0] === 1 ? [0] : [];
    let run = 1;
    for (let i = 1; i <= flat.length; i++) {
      if (i < flat.length && flat[i] === flat[i - 1]) run++;
      else {
        counts.push(run);
        run = 1;
      }
    }
    expect(decodeRle({ size: [height, width], counts })).toEqual(mask);
  });

  it('refuses counts that do not cover the mask', () => {
    expect(() => decodeRle({ size: [2, 2], counts: [1, 2] })).toThrow(
      'decodeRle(): counts sum to 3, not height × width = 4',
    );
  });
});

describe('maskJaccard', () => {
  it('divides the overlap by the union', () => {
    expect(maskJaccard(new Uint8Array([1, 1, 0, 0]), new Uint8Array([0, 1, 1, 0]))).toBe(1 / 3);
    expect(maskJaccard(new Uint8Array([1, 0]), new Uint8Array([0, 1]))).toBe(0);
    expect(maskJaccard(new Uint8Array([1, 1, 1]), new Uint8Array([1, 1, 1]))).toBe(1);
    expect(maskJaccard(new Uint8Array(3), new Uint8Array(3))).toBe(1);
    expect(() => maskJaccard(new Uint8Array(3), new Uint8Array(4))).toThrow(
      'masks of 3 and 4 pixels',
    );
  });
});
