import { describe, expect, it } from 'vitest';
import { showcaseSamples } from '../samples.js';
import { fixtureModels } from '../testing/fixture-models.js';
import { embeddedPngSizes, figureCaptions } from '../testing/report-html.js';
import { segmentationSection } from './segmentation.js';

describe('segmentationSection', () => {
  it('embeds the per-head maps and masks, the combined mask and the rollout mask', async () => {
    const scenePath = showcaseSamples().scene.path;
    const html = (await segmentationSection(fixtureModels.segmentation, scenePath)).body.html;
    expect(figureCaptions(html)).toEqual([
      // tiny-vit: a 32 x 32 input cut into 8 x 8 patches
      'each head’s [CLS] attention in the last layer (4 x 4 patches)',
      'each head’s mask',
      'combined: mask of the heads’ mean map',
      'rollout: mask of the [CLS] row of attention rollout',
    ]);
    const [maps, masks, combined, rollout] = embeddedPngSizes(html);
    // tiny-vit's 4 heads: 2 x 2 cells of 160 pixels, plus gaps
    expect(maps?.width).toBeGreaterThan(320);
    expect(masks).toEqual(maps);
    expect(combined).toEqual({ width: 320, height: 256 });
    expect(rollout).toEqual({ width: 320, height: 256 });
  });
});
