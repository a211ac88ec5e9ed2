import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '@attn/core-attention/testing';
import { answer, answerDeletionTest, disposeTextModels } from './index.js';
import { runAnswer } from './answer.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const model = join(fixtures, 'tiny-bert');
const { question, context } = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8'))[
  'tiny-bert'
] as { question: string; context: string };
afterAll(() => disposeTextModels());

describe('answerDeletionTest()', () => {
  it("deletes the k context tokens the answer attended to most, outside the answer, from answer()'s own score", async () => {
    const result = (await answerDeletionTest({ question, context }, { model, k: 2, trials: 5 }))!;
    const plain = await answer({ question, context }, { model });
    expect(result.answer.answer).toBe(plain.answer);
    expect(result.baseline).toBeCloseTo(plain.score, 6);
    expect(result.deletion).toBe('mask');
    // the top two by token score among context tokens outside the answer span
    const { window, span, tokenScores } = await runAnswer('test', { question, context }, { model });
    const eligible = window!.contextOffsets.flatMap((offsets, index) =>
      offsets !== null && (index < span!.startToken || index > span!.endToken) ? [index] : [],
    );
    expect(result.eligibleTokens).toBe(eligible.length);
    const expected = [...eligible].sort((a, b) => tokenScores[b]! - tokenScores[a]!).slice(0, 2);
    expect(result.topIndices).toEqual(expected);
    expect(result.randomDrops).toHaveLength(5);
    expect(result.topDrop).toBeCloseTo(result.baseline - result.topConfidence, 12);
  });

  it('scores the same baseline when deleting by removal, and refuses k beyond the eligible tokens', async () => {
    const masked = (await answerDeletionTest({ question, context }, { model, k: 1, trials: 2 }))!;
    const removed = (await answerDeletionTest(
      { question, context },
      { model, k: 1, trials: 2, deletion: 'remove' },
    ))!;
    expect(removed.deletion).toBe('remove');
    expect(removed.baseline).toBeCloseTo(masked.baseline, 6);
    expect(removed.topIndices).toEqual(masked.topIndices);
    expect(await answerDeletionTest({ question, context }, { model, k: 50 })).toBeUndefined();
    await expect(answerDeletionTest({ question, context }, { model, k: 0 })).rejects.toThrow(
      'answerDeletionTest(): options.k must be a positive integer, got 0.',
    );
  });
});
