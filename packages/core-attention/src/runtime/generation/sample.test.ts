import { describe, expect, it } from 'vitest';
import { fakeDecoderStepper } from '../../testing/index.js';
import { greedySearch } from './greedy-search.js';
import { sample } from './sample.js';

const tokensOf = (result: Awaited<ReturnType<typeof sample>>): number[][] =>
  result.sequences.flatMap((row) => row.map((sequence) => sequence.tokens));

describe('sample', () => {
  const sources = [0, 1, 2, 3];
  const options = { prompt: sources.map(() => [0]), maxNewTokens: 12, eosTokenId: 9, topK: 0 };
  const stepper = () => fakeDecoderStepper({ vocabSize: 10, sources, seed: 4, scale: 1 });

  it('repeats with the same seed and differs with another', async () => {
    const first = await sample(stepper(), { ...options, seed: 1 });
    const again = await sample(stepper(), { ...options, seed: 1 });
    const other = await sample(stepper(), { ...options, seed: 2 });
    expect(tokensOf(again)).toEqual(tokensOf(first));
    expect(tokensOf(other)).not.toEqual(tokensOf(first));
  });

  it('equals greedy search with topK 1 or a temperature near 0', async () => {
    const greedy = tokensOf(await greedySearch(stepper(), { ...options, topK: undefined }));
    const topOne = await sample(stepper(), { ...options, seed: 5, topK: 1 });
    expect(tokensOf(topOne)).toEqual(greedy);
    // with one token left its probability is 1: every score is 0
    expect(topOne.sequences.flat().every((sequence) => sequence.score === 0)).toBe(true);
    expect(tokensOf(await sample(stepper(), { ...options, seed: 5, temperature: 1e-3 }))).toEqual(
      greedy,
    );
  });

  it('draws with the model probabilities, restricted by top-k and top-p', async () => {
    // one step from p = (0.2, 0.5, 0.3), 3000 draws as numReturnSequences of one prompt
    const draws = async (extra: { topK?: number; topP?: number }): Promise<number[]> => {
      const model = fakeDecoderStepper({
        vocabSize: 3,
        logits: () => [0.2, 0.5, 0.3].map(Math.log),
      });
      const result = await sample(model, {
        prompt: [[0]],
        maxNewTokens: 1,
        numReturnSequences: 3000,
        seed: 8,
        topK: 0,
        ...extra,
      });
      const tokens = (result.sequences[0] ?? []).map((sequence) => sequence.tokens[0]);
      return [0, 1, 2].map((token) => tokens.filter((drawn) => drawn === token).length / 3000);
    };
    const all = await draws({});
    // standard error ≤ sqrt(0.25 / 3000) ≈ 0.009
    [0.2, 0.5, 0.3].forEach((p, token) =>
      expect(Math.abs((all[token] as number) - p)).toBeLessThan(0.035),
    );
    // top-p 0.6 keeps {1, 2} (0.5 < 0.6 ≤ 0.8), renormalised to 0.625 / 0.375
    const nucleus = await draws({ topP: 0.6 });
    expect(nucleus[0]).toBe(0);
    expect(Math.abs((nucleus[1] as number) - 0.625)).toBeLessThan(0.035);
    // top-k 1 keeps only token 1
    expect(await draws({ topK: 1 })).toEqual([0, 1, 0]);
  });

  it('expands each prompt row into numReturnSequences rows with their own cache rows', async () => {
    const model = fakeDecoderStepper({ vocabSize: 10, sources: [0, 1], seed: 4, scale: 1 });
    const result = await sample(model, {
      prompt: [[0], [0]],
      maxNewTokens: 6,
      numReturnSequences: 3,
      seed: 3,
      eosTokenId: 9,
    });
    expect(model.beamRowsSeen[0]).toEqual([0, 0, 0, 1, 1, 1]);
    expect(result.sequences.map((row) => row.length)).toEqual([3, 3]);
    result.sequences.forEach((row, input) =>
      row.forEach((sequence, draw) => {
        expect(sequence.rows[0]).toBe(input * 3 + draw); // step 0 runs every expanded row
        sequence.tokens.forEach((_, step) => {
          const position = sequence.rows[step] as number;
          expect(model.prefixes[step]?.[position]).toEqual([0, ...sequence.tokens.slice(0, step)]);
        });
      }),
    );
  });

  it('rejects options that cannot sample', async () => {
    const model = stepper();
    await expect(sample(model, { ...options, temperature: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(
        'sample(): temperature must be a finite number > 0 when sampling, got 0',
      ),
    });
    await expect(sample(model, { ...options, topP: 0 })).rejects.toMatchObject({
      message: expect.stringContaining('topP must be a number in (0, 1]'),
    });
    await expect(sample(model, { ...options, topP: 1.5 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(sample(model, { ...options, numBeams: 2 })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    await expect(sample(model, { ...options, doSample: false })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(model.prefixes).toHaveLength(0);
  });
});
