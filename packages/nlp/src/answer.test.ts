// answer() on the tiny-bert fixture (random weights): the span PyTorch's logits imply, sliding windows against a
// brute force over independently built windows, the no-answer threshold, evidence invariants and bad input.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTensor } from '@attn/core-attention';
import { repositoryRoot } from '@attn/core-attention/testing';
import {
  EncoderOnlyModel,
  loadTokenizer,
  openModelFolder,
  SessionCache,
} from '@attn/core-attention/runtime';
import { answer, disposeTextModels, type EvidenceSource } from './index.js';
import { runAnswer } from './answer.js';
import { wordSpans } from './text-spans.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const model = join(fixtures, 'tiny-bert');
const reference = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8'))[
  'tiny-bert'
] as {
  question: string;
  context: string;
  input_ids: number[];
  start_logits: number[];
  end_logits: number[];
};
const { question, context } = reference;
const sessions = new SessionCache();
afterAll(async () => {
  await sessions.dispose();
  await disposeTextModels();
});

/** Best (start, end, logit) over spans of at most `maxLength` tokens with start..end in [from, to). */
function bruteForce(
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  from: number,
  to: number,
  maxLength: number,
) {
  let best = { i: -1, j: -1, logit: -Infinity };
  for (let i = from; i < to; i++)
    for (let j = i; j < Math.min(to, i + maxLength); j++)
      if (start[i]! + end[j]! > best.logit) best = { i, j, logit: start[i]! + end[j]! };
  return best;
}

describe('answer()', () => {
  it("answers with the span PyTorch's logits pick, as character offsets into the context", async () => {
    const tokenizer = await loadTokenizer(await openModelFolder(model));
    const offsets = tokenizer.encode(context, { addSpecialTokens: false }).offsets;
    const contextStart = reference.input_ids.indexOf(3) + 1; // after the first [SEP]
    const best = bruteForce(
      reference.start_logits,
      reference.end_logits,
      contextStart,
      reference.input_ids.length - 1,
      30,
    );
    const result = await answer({ question, context }, { model });
    expect(result.start).toBe(offsets[best.i - contextStart]![0]);
    expect(result.end).toBe(offsets[best.j - contextStart]![1]);
    expect(result.answer).toBe(context.slice(result.start, result.end));
    expect(result.warnings).toEqual([]);
    // score: p_start · p_end over the context tokens and [CLS]
    const allowed = reference.input_ids.map(
      (_, i) => i === 0 || (i >= contextStart && i < reference.input_ids.length - 1),
    );
    const probability = (logits: number[], index: number) =>
      Math.exp(logits[index]!) /
      logits.reduce((sum, value, i) => sum + (allowed[i] ? Math.exp(value) : 0), 0);
    expect(result.score).toBeCloseTo(
      probability(reference.start_logits, best.i) * probability(reference.end_logits, best.j),
      4,
    );
    const nullLogit = reference.start_logits[0]! + reference.end_logits[0]!;
    expect(result.noAnswer).toBe(nullLogit - best.logit > 0);
    expect(result.attention?.dims).toEqual([2, 4, 19, 19]);
  });

  it('picks the best span over sliding windows as a brute force over the same windows does', async () => {
    const longContext = [
      'a man in a red shirt rides a bike down the street .',
      'two girls are sitting on a bench near the lake .',
      reference.context,
      'people watch a band play music on a stage at night .',
    ].join(' ');
    const [maxLength, stride] = [24, 5];
    const result = await answer({ question, context: longContext }, { model, maxLength, stride });
    expect(result.answer).toBe(longContext.slice(result.start, result.end));

    // the same windows, built and run here by hand
    const folder = await openModelFolder(model);
    const tokenizer = await loadTokenizer(folder);
    const encoder = await EncoderOnlyModel.load(folder, { sessions });
    const q = tokenizer.encode(question, { addSpecialTokens: false }).ids;
    const c = tokenizer.encode(longContext, { addSpecialTokens: false });
    const budget = maxLength - q.length - 3;
    let best = { logit: -Infinity, start: -1, end: -1 };
    let minimumNull = Infinity;
    let windows = 0;
    for (let first = 0; ; first += budget - stride) {
      const last = Math.min(first + budget, c.ids.length);
      const ids = [2, ...q, 3, ...c.ids.slice(first, last), 3];
      const types = ids.map((_, i) => (i < q.length + 2 ? 0 : 1));
      const tensor = (values: number[]) =>
        createTensor('int64', [1, ids.length], BigInt64Array.from(values, BigInt));
      const { outputs } = await encoder.run({
        input_ids: tensor(ids),
        attention_mask: tensor(ids.map(() => 1)),
        token_type_ids: tensor(types),
      });
      const startLogits = outputs['start_logits']!.data as Float32Array;
      const endLogits = outputs['end_logits']!.data as Float32Array;
      const span = bruteForce(startLogits, endLogits, q.length + 2, ids.length - 1, 30);
      minimumNull = Math.min(minimumNull, startLogits[0]! + endLogits[0]!);
      if (span.logit > best.logit) {
        const offset = first - (q.length + 2);
        best = {
          logit: span.logit,
          start: c.offsets[span.i + offset]![0],
          end: c.offsets[span.j + offset]![1],
        };
      }
      windows++;
      if (last >= c.ids.length) break;
    }
    expect(windows).toBeGreaterThan(3);
    expect([result.start, result.end]).toEqual([best.start, best.end]);
    expect(result.noAnswer).toBe(minimumNull - best.logit > 0);
    expect(result.attention!.dims[2]).toBeLessThanOrEqual(maxLength);
  });

  it('says "no answer" when the null score beats the best span by more than the threshold', async () => {
    const nullLogit = reference.start_logits[0]! + reference.end_logits[0]!;
    const contextStart = reference.input_ids.indexOf(3) + 1;
    const best = bruteForce(
      reference.start_logits,
      reference.end_logits,
      contextStart,
      reference.input_ids.length - 1,
      30,
    );
    const difference = nullLogit - best.logit;
    const at = async (threshold: number) =>
      (await answer({ question, context }, { model, threshold })).noAnswer;
    expect(await at(difference - 1e-3)).toBe(true);
    expect(await at(difference + 1e-3)).toBe(false);
    expect(await at(Number.POSITIVE_INFINITY)).toBe(false);
    const unsure = await answer(
      { question, context },
      { model, threshold: Number.NEGATIVE_INFINITY },
    );
    expect(unsure.answer).toBe(context.slice(unsure.start, unsure.end)); // the best span is still there
  });

  it('keeps answers within maxAnswerLength tokens', async () => {
    const result = await answer({ question, context }, { model, maxAnswerLength: 1 });
    expect(result.answer.split(/\s+/)).toHaveLength(1);
  });

  it('gives evidence spans on context word boundaries, weights shares of the attention to the context', async () => {
    const result = await answer({ question, context }, { model, evidenceWords: 3 });
    const words = wordSpans(context);
    for (const list of [result.evidence.start, result.evidence.end]) {
      expect(list.length).toBeGreaterThan(0);
      for (const span of list) {
        expect(words.some((word) => word.start === span.start)).toBe(true);
        expect(words.some((word) => word.end === span.end)).toBe(true);
        expect(span.weight).toBeGreaterThan(0);
      }
      expect(list.reduce((sum, span) => sum + span.weight, 0)).toBeLessThanOrEqual(1 + 1e-6);
    }
    const untapped = await answer({ question, context }, { model, attention: false });
    expect([untapped.start, untapped.end, untapped.attention]).toEqual([
      result.start,
      result.end,
      undefined,
    ]);
    expect(untapped.evidence).toEqual({ start: [], end: [] });
  });

  it('reads the evidence from the last layer, the mean of the layers, the rollout or one layer or head', async () => {
    const pair = { question, context };
    const scoresOf = async (evidenceFrom: EvidenceSource) =>
      (await runAnswer('test', pair, { model, evidenceFrom })).tokenScores;
    const { result, span } = await runAnswer('test', pair, { model });
    const [layers, heads, T] = result.attention!.dims as [number, number, number, number];
    const at = (layer: number, head: number, query: number, key: number): number =>
      result.attention!.data[((layer * heads + head) * T + query) * T + key]!;
    // independent sums over the raw [layer, head, token, token] maps: the start and end rows averaged
    const expected = (
      layerSet: number[],
      headSet = Array.from({ length: heads }, (_, head) => head),
    ): number[] =>
      Array.from({ length: T }, (_, key) => {
        let sum = 0;
        for (const query of [span!.startToken, span!.endToken])
          for (const layer of layerSet)
            for (const head of headSet) sum += at(layer, head, query, key);
        return sum / (2 * headSet.length * layerSet.length);
      });
    const lastLayer = await scoresOf('last-layer');
    const mean = await scoresOf('mean');
    const everyLayer = Array.from({ length: layers }, (_, layer) => layer);
    expected([layers - 1]).forEach((value, key) => expect(lastLayer[key]).toBeCloseTo(value, 6));
    expected(everyLayer).forEach((value, key) => expect(mean[key]).toBeCloseTo(value, 6));
    const rollout = await scoresOf('rollout');
    expect(rollout.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5); // rows of a rollout sum to 1
    expect(Array.from(rollout)).not.toEqual(Array.from(mean));
    const oneHead = await scoresOf({ layer: 0, head: heads - 1 });
    expected([0], [heads - 1]).forEach((value, key) => expect(oneHead[key]).toBeCloseTo(value, 6));
    const oneLayer = await scoresOf({ layer: layers - 1 });
    expect(Array.from(oneLayer)).toEqual(Array.from(lastLayer));
    expect(result.evidenceFrom).toBe('last-layer'); // tiny-bert's config.json chooses none
    await expect(
      answer(pair, { model, evidenceFrom: 'first' as unknown as 'mean' }),
    ).rejects.toThrow(
      "answer(): options.evidenceFrom must be 'last-layer', 'mean', 'rollout' or { layer, head? } (integers ≥ 0), got 'first'.",
    );
    await expect(answer(pair, { model, evidenceFrom: { layer: -1 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(answer(pair, { model, evidenceFrom: { layer: 0, head: heads } })).rejects.toThrow(
      `answer(): options.evidenceFrom must be a tapped layer (${result.attention!.layers.join(', ')}) and a head below ${heads}`,
    );
    await expect(answer(pair, { model, evidenceFrom: { layer: layers } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it("reads the evidence from the model's attn_answer_evidence unless evidenceFrom says otherwise", async () => {
    const pair = { question, context };
    const folder = mkdtempSync(join(tmpdir(), 'attn-qa-evidence-'));
    const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const withEvidence = (evidence: unknown): string => {
      const copy = join(folder, String(Math.random()).slice(2));
      cpSync(model, copy, { recursive: true });
      writeFileSync(
        join(copy, 'config.json'),
        JSON.stringify({ ...config, attn_answer_evidence: evidence }),
      );
      return copy;
    };
    try {
      const { result: plain } = await runAnswer('test', pair, { model });
      const heads = plain.attention!.heads.length;
      const chosen = { layer: 0, head: heads - 1 };
      const configured = withEvidence(chosen);
      const byModel = await runAnswer('test', pair, { model: configured });
      const byOption = await runAnswer('test', pair, { model, evidenceFrom: chosen });
      expect(byModel.result.evidenceFrom).toEqual(chosen);
      expect(Array.from(byModel.tokenScores)).toEqual(Array.from(byOption.tokenScores));
      expect(byModel.result.evidence).toEqual(byOption.result.evidence);
      expect(Array.from(byModel.tokenScores)).not.toEqual(
        Array.from((await runAnswer('test', pair, { model })).tokenScores),
      );
      // the option wins over the model's choice
      const overridden = await runAnswer('test', pair, {
        model: configured,
        evidenceFrom: 'last-layer',
      });
      expect(overridden.result.evidenceFrom).toBe('last-layer');
      expect(overridden.result.evidence).toEqual(plain.evidence);
      // without attention there is no evidence, so the setting is not read
      expect(
        (await answer(pair, { model: configured, attention: false })).evidenceFrom,
      ).toBeUndefined();
      for (const bad of ['first', { layer: 0, head: heads }, { layer: 0, heads: 1 }, null]) {
        await expect(answer(pair, { model: withEvidence(bad) })).rejects.toMatchObject({
          code: 'MODEL_FORMAT',
          message: expect.stringMatching(
            /config\.json has attn_answer_evidence .*, which is not 'last-layer'/,
          ),
        });
      }
      await expect(
        answer(pair, { model: withEvidence({ layer: 0, head: heads }), evidenceFrom: 'mean' }),
      ).resolves.toMatchObject({ evidenceFrom: 'mean' }); // an option overrides a broken setting
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('rejects bad input before loading, other model types, and stops when aborted', async () => {
    await expect(answer({ question: '', context })).rejects.toThrow(
      "answer(): input.question must be a non-empty string, got ''.",
    );
    await expect(answer({ question, context: 5 as unknown as string })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(answer(null as unknown as { question: string; context: string })).rejects.toThrow(
      /answer\(\): input must be an object \{ question, context \}, got null/,
    );
    await expect(answer({ question, context }, { maxAnswerLength: 0 })).rejects.toThrow(
      'answer(): options.maxAnswerLength must be an integer ≥ 1, got 0.',
    );
    await expect(answer({ question, context }, { model, maxLength: 1000 })).rejects.toThrow(
      "answer(): options.maxLength must be at most the model's 128 positions, got 1000.",
    );
    await expect(
      answer({ question, context }, { model: join(fixtures, 'tiny-gpt2') }),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    const controller = new AbortController();
    controller.abort();
    await expect(
      answer({ question, context }, { model, signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});
