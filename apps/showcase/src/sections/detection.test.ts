import { describe, expect, it } from 'vitest';
import { showcaseSamples } from '../samples.js';
import { fixtureModels } from '../testing/fixture-models.js';
import { embeddedPngSizes, tableRows } from '../testing/report-html.js';
import { detectionSection } from './detection.js';

/** Intersection over union of corner boxes, in float64 (the reference for the table's last column). */
function iou(a: number[], b: number[]): number {
  const [ax0, ay0, ax1, ay1] = a as [number, number, number, number];
  const [bx0, by0, bx1, by1] = b as [number, number, number, number];
  const overlap =
    Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0)) *
    Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
  return overlap / ((ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - overlap);
}

describe('detectionSection', () => {
  it('embeds the scene with its true objects, all maps, one map per object, and a table of the objects', async () => {
    const scene = showcaseSamples().scene;
    const html = (await detectionSection(fixtureModels.detection, scene)).body.html;
    const rows = tableRows(html);
    expect(rows.length).toBeGreaterThan(0);
    // the scene with true boxes, the combined maps, then one image per object: all at the scene's 320 x 256
    expect(embeddedPngSizes(html)).toEqual(
      Array.from({ length: 2 + rows.length }, () => ({ width: 320, height: 256 })),
    );
    const scores = rows.map(([, score]) => Number(score));
    // random weights find nothing at 0.5: the best queries are shown, and the report says so
    const belowThreshold = scores.every((score) => score < 0.5);
    expect(html.includes('No object scored 0.5 or more')).toBe(belowThreshold);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const truth = scene.objects.map(({ bbox: [x, y, width, height] }) => [
      x,
      y,
      x + width,
      y + height,
    ]);
    for (const [, , box = '', shownIou] of rows) {
      const corners = box.split(', ').map(Number);
      const best = Math.max(0, ...truth.map((trueBox) => iou(corners, trueBox)));
      // the table rounds the box to whole pixels and the IoU to 2 decimals
      expect(Math.abs(Number(shownIou) - best)).toBeLessThan(0.02);
    }
  });
});
