import { describe, expect, it } from 'vitest';
import { fakeDecoderStepper, type FakeDecoderStepper } from '../../testing/index.js';
import { beamSearch } from './beam-search.js';
import type { GeneratedSequence } from './decoder-stepper.js';
import type { EarlyStopping } from './generation-options.js';
import { greedySearch } from './greedy-search.js';

/** float64 log-softmax of one row. */
function logProbabilities(logits: ArrayLike<number>): number[] {
  const values = Array.from(logits);
  const max = Math.max(...values);
  const logTotal = max + Math.log(values.reduce((sum, value) => sum + Math.exp(value - max), 0));
  return values.map((value) => value - logTotal);
}

/**
 * Every finished sequence the model can produce (ended by eos, or `maxNewTokens` long), scored as
 * beam search scores hypotheses, best first: Σ log p / length ** lengthPenalty, in float64.
 */
function exhaustiveSearch(
  stepper: FakeDecoderStepper,
  source: number,
  prompt: number[],
  eos: number,
  maxNewTokens: number,
  lengthPenalty: number,
): { tokens: number[]; score: number }[] {
  const finished: { tokens: number[]; score: number }[] = [];
  const extend = (tokens: number[], sum: number): void => {
    const scores = logProbabilities(stepper.logitsOf([...prompt, ...tokens], source));
    scores.forEach((logProbability, token) => {
      const next = [...tokens, token];
      if (token === eos || next.length === maxNewTokens) {
        finished.push({
          tokens: next,
          score: (sum + logProbability) / next.length ** lengthPenalty,
        });
      } else {
        extend(next, sum + logProbability);
      }
    });
  };
  extend([], 0);
  return finished.sort((a, b) => b.score - a.score);
}

/** Each token t of `sequence` was chosen from a cache row that had seen exactly prompt + tokens[0..t). */
function expectCacheRowsMatch(
  stepper: FakeDecoderStepper,
  prompt: number[],
  sequence: GeneratedSequence,
): void {
  expect(sequence.rows).toHaveLength(sequence.tokens.length);
  sequence.rows.forEach((row, step) => {
    expect(stepper.prefixes[step]?.[row]).toEqual([...prompt, ...sequence.tokens.slice(0, step)]);
  });
}

describe('beamSearch', () => {
  // vocab 4 with eos 3, 4 new tokens: 121 finished sequences. 108 beams (27 running prefixes × 4
  // tokens at the last step) means nothing is ever pruned, so beam search must be exact.
  const cases: [number, EarlyStopping][] = [
    [1, 'never'],
    [0, 'never'],
    [2, 'never'],
    [-0.5, 'never'],
    [0, false],
    [-0.5, false],
  ];
  it.each(cases)(
    'equals exhaustive search on a tiny vocabulary (lengthPenalty %s, earlyStopping %s)',
    async (lengthPenalty, earlyStopping) => {
      const sources = [0, 1, 2, 3];
      const stepper = fakeDecoderStepper({ vocabSize: 4, sources, seed: 7, scale: 1.5 });
      const prompt = [2];
      const result = await beamSearch(stepper, {
        prompt: sources.map(() => prompt),
        numBeams: 108,
        numReturnSequences: 5,
        maxNewTokens: 4,
        eosTokenId: 3,
        lengthPenalty,
        earlyStopping,
      });
      sources.forEach((source, row) => {
        const expected = exhaustiveSearch(stepper, source, prompt, 3, 4, lengthPenalty).slice(0, 5);
        const returned = result.sequences[row] as GeneratedSequence[];
        expect(returned.map((sequence) => sequence.tokens)).toEqual(
          expected.map((sequence) => sequence.tokens),
        );
        returned.forEach((sequence, rank) => {
          expect(sequence.score).toBeCloseTo(expected[rank]?.score as number, 5);
          expect(sequence.finishReason).toBe(sequence.tokens.at(-1) === 3 ? 'eos' : 'max_length');
          expectCacheRowsMatch(stepper, prompt, sequence);
        });
        expect(new Set(returned.map((sequence) => sequence.tokens.join(','))).size).toBe(5);
      });
    },
  );

  it('with one beam equals greedy search, tokens and (lengthPenalty 0) scores', async () => {
    const sources = [0, 1, 2, 3, 4, 5];
    const options = { prompt: sources.map(() => [0]), maxNewTokens: 10, eosTokenId: 19 };
    const greedy = await greedySearch(
      fakeDecoderStepper({ vocabSize: 20, sources, seed: 3 }),
      options,
    );
    for (const earlyStopping of [false, true]) {
      const stepper = fakeDecoderStepper({ vocabSize: 20, sources, seed: 3 });
      const beam = await beamSearch(stepper, {
        ...options,
        numBeams: 1,
        lengthPenalty: 0,
        earlyStopping,
      });
      beam.sequences.forEach((row, index) => {
        const expected = greedy.sequences[index]?.[0] as GeneratedSequence;
        expect(row[0]?.tokens).toEqual(expected.tokens);
        expect(row[0]?.finishReason).toBe(expected.finishReason);
        expect(row[0]?.score).toBeCloseTo(expected.score, 5);
      });
    }
    expect(new Set(greedy.sequences.map((row) => row[0]?.finishReason))).toEqual(
      new Set(['eos', 'max_length']),
    );
  });

  it.each([false, true, 'never'] as EarlyStopping[])(
    'batched equals each row alone, with consistent cache rows (earlyStopping %s)',
    async (earlyStopping) => {
      const sources = [0, 1, 2, 3];
      const options = {
        numBeams: 3,
        numReturnSequences: 3,
        maxNewTokens: 7,
        eosTokenId: 11,
        lengthPenalty: 1.3,
        earlyStopping,
      };
      const stepper = fakeDecoderStepper({ vocabSize: 12, sources, seed: 5 });
      const batched = await beamSearch(stepper, { ...options, prompt: sources.map(() => [1, 2]) });
      expect(stepper.beamRowsSeen[0]).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]); // the first call expands the batch
      for (const [row, source] of sources.entries()) {
        const alone = await beamSearch(
          fakeDecoderStepper({ vocabSize: 12, sources: [source], seed: 5 }),
          {
            ...options,
            prompt: [[1, 2]],
          },
        );
        const returned = batched.sequences[row] as GeneratedSequence[];
        expect(
          returned.map(({ tokens, score, finishReason }) => ({ tokens, score, finishReason })),
        ).toEqual(
          alone.sequences[0]?.map(({ tokens, score, finishReason }) => ({
            tokens,
            score,
            finishReason,
          })),
        );
        returned.forEach((sequence, rank) => {
          expect(sequence.rows.map((cacheRow) => cacheRow - row * 3)).toEqual(
            alone.sequences[0]?.[rank]?.rows,
          );
          expectCacheRowsMatch(stepper, [1, 2], sequence);
        });
        for (let rank = 1; rank < returned.length; rank++) {
          expect(returned[rank - 1]?.score).toBeGreaterThanOrEqual(returned[rank]?.score as number);
        }
      }
    },
  );

  it('stops as earlyStopping says', async () => {
    // eos 0, a 1, b 2. Start: p(eos) 0.6, p(a) 0.39; after a: p(eos) 0.99. With lengthPenalty 1,
    // [eos] scores log 0.6 = -0.511 and [a, eos] (log 0.39 + log 0.99) / 2 = -0.476: only a search
    // that looks past the first finished hypothesis finds the better one.
    const table = (prefix: readonly number[]): number[] =>
      (prefix.length === 1
        ? [0.6, 0.39, 0.01]
        : prefix[1] === 1 && prefix.length === 2
          ? [0.99, 0.005, 0.005]
          : [0.9, 0.05, 0.05]
      ).map(Math.log);
    const run = async (earlyStopping: EarlyStopping, lengthPenalty: number) => {
      const stepper = fakeDecoderStepper({ vocabSize: 3, logits: table });
      const result = await beamSearch(stepper, {
        prompt: [[2]],
        numBeams: 1,
        maxNewTokens: 4,
        eosTokenId: 0,
        earlyStopping,
        lengthPenalty,
      });
      return {
        tokens: result.sequences[0]?.[0]?.tokens,
        steps: result.steps,
        score: result.sequences[0]?.[0]?.score,
      };
    };
    expect(await run(true, 1)).toMatchObject({ tokens: [0], steps: 1 });
    // false: the best running beam, -0.942 at length 1, cannot beat -0.511
    expect(await run(false, 1)).toMatchObject({ tokens: [0], steps: 1 });
    // 'never' with lengthPenalty > 0 bounds by length 4: -0.942 / 4 > -0.511, so it goes on
    const never = await run('never', 1);
    expect(never).toMatchObject({ tokens: [1, 0], steps: 2 });
    expect(never.score).toBeCloseTo((Math.log(0.39) + Math.log(0.99)) / 2, 5);
    // with lengthPenalty 0 longer never helps, so 'never' stops at once too
    expect(await run('never', 0)).toMatchObject({ tokens: [0], steps: 1 });
  });

  it('keeps the processors: no returned hypothesis repeats a bigram or ends before minNewTokens', async () => {
    const stepper = fakeDecoderStepper({ vocabSize: 6, sources: [0, 1, 2], seed: 9, scale: 1 });
    const result = await beamSearch(stepper, {
      prompt: [[0], [0], [0]],
      numBeams: 4,
      numReturnSequences: 4,
      maxNewTokens: 9,
      minNewTokens: 3,
      noRepeatNgramSize: 2,
      eosTokenId: 5,
    });
    for (const sequence of result.sequences.flat()) {
      const all = [0, ...sequence.tokens];
      const bigrams = all.slice(1).map((token, index) => `${all[index]},${token}`);
      expect(new Set(bigrams).size).toBe(bigrams.length);
      expect(sequence.tokens.length).toBeGreaterThanOrEqual(4);
      expectCacheRowsMatch(stepper, [0], sequence);
    }
  });

  it('rejects bad beam options before calling the stepper', async () => {
    const stepper = fakeDecoderStepper({ vocabSize: 4 });
    await expect(
      beamSearch(stepper, { prompt: [[0]], numBeams: 2, numReturnSequences: 3 }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(
        'beamSearch(): numReturnSequences must be at most numBeams (2), got 3',
      ),
    });
    await expect(
      beamSearch(stepper, { prompt: [[0]], numBeams: 2, doSample: true }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(beamSearch(stepper, { prompt: [[0]], numBeams: 0 })).rejects.toMatchObject({
      message: expect.stringContaining('numBeams must be an integer ≥ 1, got 0'),
    });
    expect(stepper.prefixes).toHaveLength(0);
  });

  it('stops calling the stepper when aborted', async () => {
    const controller = new AbortController();
    const stepper = fakeDecoderStepper({ vocabSize: 8 });
    const run = beamSearch(stepper, {
      prompt: [[0]],
      numBeams: 3,
      maxNewTokens: 10,
      signal: controller.signal,
      onStep: ({ step }) => step === 1 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(stepper.prefixes).toHaveLength(2);
  });
});
