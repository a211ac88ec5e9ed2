// Section: object detection (attn/detr-shapes by default) on the generated scene — the objects found with their
// boxes, each object query's cross-attention map over the image (Carion et al. 2020, figure 6), and the scene's
// true objects to compare with.
import { h, htmlTable, type Html } from '@attn/core-attention';
import {
  boxIou,
  detect,
  detectionOverlay,
  drawBoxes,
  encodePng,
  loadImage,
  type Box,
} from '@attn/vision';
import { imageFigure } from '../image-figure.js';
import type { ReportSection } from '../report.js';
import type { ShowcaseSamples } from '../samples.js';
import { taskSection } from '../task-section.js';

/** detect()'s own default: objects below it are not reported. */
const threshold = 0.5;
/** Queries shown when none reaches the threshold, so the maps are still there to look at. */
const fallbackQueries = 3;

const format = (box: Box): string =>
  [box.x0, box.y0, box.x1, box.y1].map((value) => value.toFixed(0)).join(', ');

/**
 * The detection section: `scene` run through `model`, an overlay of every object and one per object.
 *
 * @example
 * ```ts
 * const section = await detectionSection('attn/detr-shapes', showcaseSamples().scene);
 * section.body.html; // '<div>…<img src="data:image/png;base64,iVBORw0KGgo…" alt="the scene and its true objects">…'
 * ```
 * @throws {AttnError} the errors of loadImage() and detect(), except MODEL_NOT_FOUND for a shipped model (see
 * taskSection).
 */
export function detectionSection(
  model: string,
  scene: ShowcaseSamples['scene'],
): Promise<ReportSection> {
  const heading = {
    id: 'detection',
    title: 'Object detection with a map per object',
    summary:
      "Each object DETR found, with its box and the cross-attention of the object query that found it (last decoder layer, heads averaged) over the image, next to the scene's true objects.",
  };
  return taskSection(heading, model, async () => {
    const image = await loadImage(scene.path);
    const all = await detect(image, { model, threshold: 0 });
    const found = all.objects.filter((object) => object.score >= threshold);
    const objects = found.length > 0 ? found : all.objects.slice(0, fallbackQueries);
    const detection = { ...all, objects };
    const truth = scene.objects.map(({ label, bbox: [x, y, width, height] }) => ({
      label,
      box: { x0: x, y0: y, x1: x + width, y1: y + height },
    }));
    const figures: Html[] = [
      imageFigure(await encodePng(await drawBoxes(image, truth)), 'the scene and its true objects'),
      imageFigure(
        await encodePng(await detectionOverlay(image, detection)),
        'objects found, their maps combined (each scaled to its peak)',
      ),
    ];
    for (const [index, object] of objects.entries()) {
      const overlay = await detectionOverlay(image, detection, { object: index });
      const caption = `${object.label} ${object.score.toFixed(2)}: its query’s cross-attention`;
      figures.push(imageFigure(await encodePng(overlay), caption));
    }
    const rows = objects.map((object) => {
      const best = Math.max(0, ...truth.map((item) => boxIou(item.box, object.box)));
      return [object.label, object.score.toFixed(2), format(object.box), best.toFixed(2)];
    });
    return h('div', {}, [
      found.length > 0
        ? null
        : h(
            'p',
            { class: 'note' },
            `No object scored ${threshold} or more; the ${objects.length} best queries are shown.`,
          ),
      h('div', {}, figures),
      htmlTable(['label', 'score', 'box (x0, y0, x1, y1)', 'best IoU with a true object'], rows, {
        caption: `${truth.length} true objects: ${truth.map((item) => `${item.label} (${format(item.box)})`).join(', ')}`,
      }),
    ]);
  });
}
