// Parity with transformers.js, the oracle: on tiny-detr and an image neither library resizes, detect() reports
// the same labels in the same score order, the same scores and the same boxes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disposeVisionModels } from '@attn/vision';
import { afterAll, describe, expect, it } from 'vitest';
import { detectParity, parityImage } from './detect-parity.js';
import { fixturesFolder } from './transformers-greedy.js';

const directory = await mkdtemp(join(tmpdir(), 'attn-detect-parity-'));
afterAll(async () => {
  await disposeVisionModels();
  await rm(directory, { recursive: true, force: true });
});

describe('detect() against transformers.js', () => {
  it(
    'agrees on tiny-detr: labels, order, scores, and boxes within 1e-3 pixels',
    { timeout: 60_000 },
    async () => {
      const folder = `${fixturesFolder}tiny-detr`;
      const image = await parityImage(folder, directory);
      expect(image).toMatch(/parity-96x64\.png$/); // shortest_edge 64, longest_edge 96
      const parity = await detectParity(folder, image, 0);
      expect(parity.ours).toHaveLength(5); // every query of the fixture, at threshold 0
      expect(parity.peer.map(({ label }) => label)).toEqual(parity.ours.map(({ label }) => label));
      expect(parity.sameLabels).toBe(true);
      expect(parity.maxBoxDifference).toBeLessThan(1e-3);
      expect(parity.maxScoreDifference).toBeLessThan(1e-5);
    },
  );
});
