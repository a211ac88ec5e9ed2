import { describe, expect, it } from 'vitest';
import { AttnError } from '../../errors/index.js';
import { fakeDecoderStepper } from '../../testing/index.js';
import { greedySearch } from './greedy-search.js';

/** float64 log-softmax of one row. */
function logProbabilities(logits: ArrayLike<number>): number[] {
  const values = Array.from(logits);
  const max = Math.max(...values);
  const logTotal = max + Math.log(values.reduce((sum, value) => sum + Math.exp(value - max), 0));
  return values.map((value) => value - logTotal);
}

/** A model whose logits ignore the prefix. */
const constant = (vocabSize: number, logits: number[]) =>
  fakeDecoderStepper({ vocabSize, logits: () => logits });

describe('greedySearch', () => {
  it('equals the argmax chain of every row, batched, with eos and max-length endings', async () => {
    const sources = [0, 1, 2, 3, 4, 5, 6, 7];
    const stepper = fakeDecoderStepper({ vocabSize: 6, sources, seed: 11 });
    const eos = 5;
    const result = await greedySearch(stepper, {
      prompt: sources.map(() => [0]),
      maxNewTokens: 8,
      eosTokenId: eos,
    });
    const reasons = new Set<string>();
    sources.forEach((source, row) => {
      // reference: follow the argmax of the model's own logits, summing float64 log-probabilities
      const prefix = [0];
      let score = 0;
      while (prefix.length <= 8) {
        const scores = logProbabilities(stepper.logitsOf(prefix, source));
        const token = scores.indexOf(Math.max(...scores));
        score += scores[token] as number;
        prefix.push(token);
        if (token === eos) break;
      }
      const sequence = result.sequences[row]?.[0];
      expect(sequence?.tokens).toEqual(prefix.slice(1));
      expect(sequence?.score).toBeCloseTo(score, 5);
      expect(sequence?.finishReason).toBe(prefix.at(-1) === eos ? 'eos' : 'max_length');
      // rows[t]: the position in step t's batch whose cache held this sequence's prefix
      sequence?.rows.forEach((position, t) =>
        expect(stepper.prefixes[t]?.[position]).toEqual(prefix.slice(0, t + 1)),
      );
      reasons.add(sequence?.finishReason ?? '');
    });
    expect(reasons).toEqual(new Set(['eos', 'max_length'])); // both endings were exercised
    expect(result.steps).toBe(
      Math.max(...result.sequences.map((row) => row[0]?.tokens.length ?? 0)),
    );
  });

  it('drops finished rows from the batch', async () => {
    // row 0 (source 0) prefers eos at once; row 1 never emits it
    const stepper = fakeDecoderStepper({
      vocabSize: 4,
      sources: [0, 1],
      logits: (_prefix, source) => (source === 0 ? [0, 0, 5, 0] : [0, 5, 0, 0]),
    });
    const result = await greedySearch(stepper, {
      prompt: [[0], [0]],
      maxNewTokens: 3,
      eosTokenId: 2,
      padTokenId: 3,
    });
    expect(result.sequences.map((row) => row[0]?.tokens)).toEqual([[2], [1, 1, 1]]);
    // after step 0 only row 1 stays: the next call continues position 1, later calls the identity
    expect(stepper.beamRowsSeen).toEqual([undefined, [1], undefined]);
    expect(stepper.prefixes.at(-1)).toEqual([[0, 1, 1]]);
    expect(result.sequences[1]?.[0]?.rows).toEqual([1, 0, 0]);
  });

  it('holds eos back until minNewTokens / minLength, and stops at maxNewTokens / maxLength', async () => {
    const eosLover = (): ReturnType<typeof constant> => constant(4, [0, 0, 0, 5]);
    const minNew = await greedySearch(eosLover(), {
      prompt: [[1]],
      minNewTokens: 3,
      eosTokenId: 3,
    });
    expect(minNew.sequences[0]?.[0]?.tokens).toEqual([0, 0, 0, 3]);
    // minLength 4 counts the 2-token prompt: eos is allowed once 2 new tokens exist
    const minLength = await greedySearch(eosLover(), {
      prompt: [[1, 1]],
      minLength: 4,
      eosTokenId: 3,
    });
    expect(minLength.sequences[0]?.[0]?.tokens).toEqual([0, 0, 3]);

    const never = (): ReturnType<typeof constant> => constant(4, [0, 5, 0, 0]);
    const maxNew = await greedySearch(never(), {
      prompt: [[1, 1]],
      maxNewTokens: 5,
      eosTokenId: 3,
    });
    expect(maxNew.sequences[0]?.[0]).toMatchObject({
      tokens: [1, 1, 1, 1, 1],
      finishReason: 'max_length',
    });
    const maxLength = await greedySearch(never(), {
      prompt: [[1, 1]],
      maxLength: 6,
      eosTokenId: 3,
    });
    expect(maxLength.sequences[0]?.[0]?.tokens).toHaveLength(4);
    const byDefault = await greedySearch(never(), { prompt: [[1]] }); // Hugging Face's max_length 20
    expect(byDefault.sequences[0]?.[0]?.tokens).toHaveLength(19);
  });

  it('forces BOS first and EOS last', async () => {
    const result = await greedySearch(constant(4, [0, 5, 0, 0]), {
      prompt: [[0]],
      maxNewTokens: 4,
      forcedBosTokenId: 2,
      forcedEosTokenId: 3,
      eosTokenId: 3,
    });
    expect(result.sequences[0]?.[0]).toMatchObject({ tokens: [2, 1, 1, 3], finishReason: 'eos' });
  });

  it('suppresses tokens always and at the beginning', async () => {
    // preference order 1 > 2 > 0
    const preferences = [0, 5, 3];
    const suppressed = await greedySearch(constant(3, preferences), {
      prompt: [[0]],
      maxNewTokens: 3,
      suppressTokens: [1],
    });
    expect(suppressed.sequences[0]?.[0]?.tokens).toEqual([2, 2, 2]);
    const atBegin = await greedySearch(constant(3, preferences), {
      prompt: [[0]],
      maxNewTokens: 3,
      beginSuppressTokens: [1, 2],
    });
    expect(atBegin.sequences[0]?.[0]?.tokens).toEqual([0, 1, 1]);
  });

  it('applies the repetition penalty, no-repeat n-grams and bad words to the prompt plus output', async () => {
    // logits [0, 2, 1.5], penalty 2: after 1 its logit is 1 < 1.5, so 2; then 1 → 1 > 2 → 0.75: 1, 1
    const penalised = await greedySearch(constant(3, [0, 2, 1.5]), {
      prompt: [[0]],
      maxNewTokens: 4,
      repetitionPenalty: 2,
    });
    expect(penalised.sequences[0]?.[0]?.tokens).toEqual([1, 2, 1, 1]);
    // bigrams: [0] → 1; [0,1] → 1; [0,1,1] → 1 follows 1 already → 2; [..,2] → 1; [..,2,1] → 1 and 2 follow 1 → 0
    const ngrams = await greedySearch(constant(3, [0, 2, 1]), {
      prompt: [[0]],
      maxNewTokens: 5,
      noRepeatNgramSize: 2,
    });
    expect(ngrams.sequences[0]?.[0]?.tokens).toEqual([1, 1, 2, 1, 0]);
    // 1 may not follow 1 (and the prompt ends in 1), 3 never
    const badWords = await greedySearch(constant(4, [0, 3, 2, 4]), {
      prompt: [[1]],
      maxNewTokens: 4,
      badWordsIds: [[1, 1], [3]],
    });
    expect(badWords.sequences[0]?.[0]?.tokens).toEqual([2, 1, 2, 1]);
  });

  it('passes every step result to onStep before processing it', async () => {
    const seen: number[][] = [];
    const stepper = constant(3, [0, 5, 0]);
    await greedySearch(stepper, {
      prompt: [[0, 2]],
      maxNewTokens: 2,
      onStep: ({ step, inputIds, beamRows, result }) => {
        seen.push([step, ...inputIds.flat(), beamRows === undefined ? -1 : 0, ...result.logits]);
      },
    });
    expect(seen).toEqual([
      [0, 0, 2, -1, 0, 5, 0],
      [1, 1, -1, 0, 5, 0],
    ]);
  });

  it('stops calling the stepper when aborted and rejects with ABORTED', async () => {
    const controller = new AbortController();
    const stepper = constant(3, [0, 5, 0]);
    const run = greedySearch(stepper, {
      prompt: [[0]],
      maxNewTokens: 10,
      signal: controller.signal,
      onStep: ({ step }) => {
        if (step === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({
      code: 'ABORTED',
      message: expect.stringContaining('aborted after 3 decoder steps'),
    });
    expect(stepper.prefixes).toHaveLength(3);

    const aborted = constant(3, [0, 5, 0]);
    await expect(
      greedySearch(aborted, { prompt: [[0]], signal: AbortSignal.abort() }),
    ).rejects.toSatisfy((error) => AttnError.is(error) && error.code === 'ABORTED');
    expect(aborted.prefixes).toHaveLength(0);
  });

  it('rejects logits that are not [rows, vocab]', async () => {
    const short = { vocabSize: 3, step: async () => ({ logits: new Float32Array(4) }) };
    await expect(greedySearch(short, { prompt: [[0], [0]] })).rejects.toMatchObject({
      code: 'SHAPE_MISMATCH',
      message: expect.stringContaining(
        'stepper logits must have shape [2, 3] (6 values), got 4 values',
      ),
    });
  });

  it('reports a row with no finite score instead of picking token 0', async () => {
    const run = greedySearch(constant(2, [0, 1]), { prompt: [[0]], suppressTokens: [0, 1] });
    await expect(run).rejects.toMatchObject({
      code: 'RUNTIME',
      message: expect.stringContaining('no token of row 0'),
    });
    const nan = greedySearch(constant(2, [0, Number.NaN]), { prompt: [[0]] });
    await expect(nan).rejects.toMatchObject({ code: 'RUNTIME' });
  });
});
