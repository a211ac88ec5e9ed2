import { describe, expect, it } from 'vitest';
import { showcaseSamples } from '../samples.js';
import { fixtureModels } from '../testing/fixture-models.js';
import { decodeEntities, highlightGroups } from '../testing/report-html.js';
import { questionAnsweringSection } from './question-answering.js';

describe('questionAnsweringSection', () => {
  it('marks each answer at its offsets in the context, shades the evidence and reports the deletion test', async () => {
    const sample = showcaseSamples().questionAnswering;
    const html = (await questionAnsweringSection(fixtureModels.questionAnswering, sample)).body
      .html;
    const answers = [
      ...html.matchAll(/<mark>(.*?)<\/mark> \(p = ([\d.]+), characters (\d+)–(\d+)/gs),
    ];
    expect(answers).toHaveLength(sample.questions.length);
    for (const [, text, probability, start, end] of answers) {
      expect(decodeEntities(text as string)).toBe(sample.context.slice(Number(start), Number(end)));
      expect(Number(probability)).toBeLessThanOrEqual(1);
    }
    const groups = highlightGroups(html);
    expect(groups).toHaveLength(sample.questions.length);
    for (const pieces of groups) {
      expect(pieces.map((piece) => piece.text).join('')).toBe(sample.context);
      expect(pieces.some((piece) => piece.weight > 0)).toBe(true);
    }
    expect(html.match(/Deletion test: removing the 3 context tokens/g)).toHaveLength(
      sample.questions.length,
    );
  });
});
