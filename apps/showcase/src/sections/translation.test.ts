import { describe, expect, it } from 'vitest';
import { showcaseSamples } from '../samples.js';
import { fixtureModels } from '../testing/fixture-models.js';
import { tableRows } from '../testing/report-html.js';
import { translationSection } from './translation.js';

describe('translationSection', () => {
  it('shows each sentence with its translation, an alignment matrix and its aligned word pairs', async () => {
    const sentences = showcaseSamples().translation;
    const html = (await translationSection(fixtureModels.translation, sentences)).body.html;
    expect(html.match(/<svg /g)).toHaveLength(sentences.length);
    expect(html.match(/<table/g)).toHaveLength(sentences.length);
    for (const sentence of sentences) expect(html).toContain(`<strong>EN </strong>${sentence}`);
    // every aligned pair names a source word of one of the sentences, with a weight in [0, 1]
    const sourceWords = new Set(sentences.flatMap((sentence) => sentence.split(' ')));
    for (const [source, , weight] of tableRows(html)) {
      expect(sourceWords).toContain(source);
      expect(Number(weight)).toBeGreaterThanOrEqual(0);
      expect(Number(weight)).toBeLessThanOrEqual(1);
    }
  });
});
