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

/** Context tokens outside the answer span that are no copy of an answer token: what may be deleted. */
function eligibleIndices(run: Awaited<ReturnType<typeof runAnswer>>): number[] {
  const ids = run.window!.inputIds;
  const answerIds = ids.slice(run.span!.startToken, run.span!.endToken + 1);
  return run.window!.contextOffsets.flatMap((offsets, index) =>
    offsets !== null &&
    (index < run.span!.startToken || index > run.span!.endToken) &&
    !answerIds.includes(ids[index]!)
      ? [index]
      : [],
  );
}

/** The k eligible tokens with the highest evidence score. */
function topEligible(run: Awaited<ReturnType<typeof runAnswer>>, k: number): number[] {
  return eligibleIndices(run)
    .sort((a, b) => run.tokenScores[b]! - run.tokenScores[a]!)
    .slice(0, k);
}

describe('answerDeletionTest()', () => {
  it("deletes the k context tokens the answer attended to most, never the answer's own tokens, from answer()'s own score", async () => {
    const result = (await answerDeletionTest({ question, context }, { model, k: 2, trials: 5 }))!;
    const plain = await answer({ question, context }, { model });
    expect(result.answer.answer).toBe(plain.answer);
    expect(result.baseline).toBeCloseTo(plain.score, 6);
    expect(result.deletion).toBe('mask');
    const run = await runAnswer('test', { question, context }, { model });
    expect(result.eligibleTokens).toBe(eligibleIndices(run).length);
    expect(result.topIndices).toEqual(topEligible(run, 2));
    expect(result.randomDrops).toHaveLength(5);
    expect(result.topDrop).toBeCloseTo(result.baseline - result.topConfidence, 12);
  });

  it('ranks the tokens by the evidence source asked for; the answer and its baseline stay', async () => {
    const pair = { question, context };
    const lastLayer = (await answerDeletionTest(pair, { model, k: 2, trials: 2 }))!;
    const rankings = new Set([lastLayer.topIndices.join()]);
    for (const evidenceFrom of ['mean', 'rollout'] as const) {
      const result = (await answerDeletionTest(pair, { model, k: 2, trials: 2, evidenceFrom }))!;
      const run = await runAnswer('test', pair, { model, evidenceFrom });
      expect(result.topIndices).toEqual(topEligible(run, 2));
      expect(result.baseline).toBeCloseTo(lastLayer.baseline, 9);
      rankings.add(result.topIndices.join());
    }
    expect(rankings.size).toBeGreaterThan(1); // the sources disagree somewhere on this window
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
