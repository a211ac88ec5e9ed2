import { describe, expect, it } from 'vitest';
import { showcaseSamples } from '../samples.js';
import { fixtureModels } from '../testing/fixture-models.js';
import { decodeEntities, highlightGroups, tableRows } from '../testing/report-html.js';
import { summarizationSection } from './summarization.js';

describe('summarizationSection', () => {
  it('shades each source caption by its attention share, lists sources per summary word, and draws the matrix', async () => {
    const captions = showcaseSamples().summarization;
    const html = (await summarizationSection(fixtureModels.summarization, captions)).body.html;
    const [pieces = []] = highlightGroups(html);
    const source = captions.join(' ');
    expect(pieces.map((piece) => piece.text).join('')).toBe(source);
    // one shaded piece per caption (a sentence each); the shares of the four sum to 1
    const shaded = pieces.filter((piece) => piece.weight > 0);
    expect(shaded.map((piece) => piece.text)).toEqual(captions);
    const total = shaded.reduce((sum, piece) => sum + piece.weight, 0);
    expect(total).toBeCloseTo(1, 2);

    const summary = decodeEntities(/<strong>Summary <\/strong>(.*?)<\/p>/s.exec(html)?.[1] ?? '');
    const rows = tableRows(html);
    expect(rows.map(([word]) => word)).toEqual(summary.split(/\s+/).filter(Boolean));
    // every listed source word is text of the source
    for (const [, sources = ''] of rows)
      for (const match of sources.matchAll(/(.+?) \((\d\.\d\d)\)(, |$)/g))
        expect(source).toContain(match[1]);
    expect(html.match(/<svg /g)).toHaveLength(1);
  });
});
