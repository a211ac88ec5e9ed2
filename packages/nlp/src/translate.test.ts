import { afterAll, describe, expect, it } from 'vitest';
import { disposeTextModels, translate, type Translation } from './index.js';

// The shipped attn/mt-en-de model (models/mt-en-de), greedy.
const sentences = [
  'A man in an orange hat starring at something.',
  'Two dogs.',
  'A little girl climbing into a wooden playhouse while her brother watches from the grass below.',
  'A woman sings.',
  'People are walking down a busy city street at night.',
];

describe('translate() on attn/mt-en-de', () => {
  afterAll(() => disposeTextModels());

  it('batches by length but returns each translation in input order, equal to translating it alone', async () => {
    const batched = await translate(sentences, { numBeams: 1, batchSize: 2 });
    const alone: Translation[] = [];
    for (const sentence of sentences) alone.push(await translate(sentence, { numBeams: 1 }));
    expect(batched.map((result) => result.sourceWords.join(' '))).toEqual(sentences);
    expect(batched.map((result) => result.text)).toEqual(alone.map((result) => result.text));
    batched.forEach((result, index) => {
      expect(result.targetTokens).toEqual(alone[index]!.targetTokens);
      expect(result.alignment.map(({ source, target }) => [source, target])).toEqual(
        alone[index]!.alignment.map(({ source, target }) => [source, target]),
      );
    });
  });
});
