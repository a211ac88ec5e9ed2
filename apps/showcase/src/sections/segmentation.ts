// Section: segmentation from a vision transformer's attention (attn/vit-shapes by default) on the generated scene —
// DINO's rule (Caron et al. 2021): each head's [CLS] attention and the mask keeping 60% of its mass, the heads'
// mean, and attention rollout through every layer (Abnar & Zuidema 2020).
import { h } from '@attn/core-attention';
import {
  encodePng,
  loadImage,
  segment,
  segmentationHeadGrid,
  segmentationOverlay,
} from '@attn/vision';
import { imageFigure } from '../image-figure.js';
import type { ReportSection } from '../report.js';
import { taskSection } from '../task-section.js';

/**
 * The segmentation section: the scene at `scenePath` segmented by `model`, per head, combined and by rollout.
 *
 * @example
 * ```ts
 * const section = await segmentationSection('attn/vit-shapes', showcaseSamples().scene.path);
 * section.body.html.match(/<img /g)?.length; // 4
 * ```
 * @throws {AttnError} the errors of loadImage() and segment(), except MODEL_NOT_FOUND for a shipped model (see
 * taskSection).
 */
export function segmentationSection(model: string, scenePath: string): Promise<ReportSection> {
  const heading = {
    id: 'segmentation',
    title: 'Segmentation from attention',
    summary:
      "Masks read off the [CLS] token's attention to the image patches: per head, the mean of the last layer's heads, and the rollout through every layer; each mask keeps the patches that hold 60% of the attention mass.",
  };
  return taskSection(heading, model, async () => {
    const image = await loadImage(scenePath);
    const mean = await segment(image, { model });
    const rollout = await segment(image, { model, combine: 'rollout' });
    const { rows, cols } = mean.grid;
    return h('div', {}, [
      imageFigure(
        await encodePng(await segmentationHeadGrid(image, mean, { show: 'maps' })),
        `each head’s [CLS] attention in the last layer (${rows} x ${cols} patches)`,
      ),
      imageFigure(
        await encodePng(await segmentationHeadGrid(image, mean, { show: 'masks' })),
        'each head’s mask',
      ),
      imageFigure(
        await encodePng(segmentationOverlay(image, mean)),
        'combined: mask of the heads’ mean map',
      ),
      imageFigure(
        await encodePng(segmentationOverlay(image, rollout)),
        'rollout: mask of the [CLS] row of attention rollout',
      ),
    ]);
  });
}
