// summarize() on the tiny-bart fixture (random weights): shapes and invariants of the attribution, checked
// against float64 loops over the returned cross-attention; truncation, beam search and bad input.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '@attn/core-attention/testing';
import { loadTokenizer, openModelFolder } from '@attn/core-attention/runtime';
import { disposeTextModels, summarize, type Summary } from './index.js';
import { sentenceSpans, wordSpans } from './text-spans.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const model = join(fixtures, 'tiny-bart');
const text = 'Two children play with a red ball in the park. A dog watches them, wagging its tail.';
afterAll(() => disposeTextModels());

/** Attention of summary-token rows (layers and heads averaged, float64) over every source token. */
function meanRows(result: Summary): Float64Array[] {
  const maps = result.attention!;
  const [layers, heads, queries, keys] = maps.dims;
  return Array.from({ length: queries }, (_, query) => {
    const row = new Float64Array(keys);
    for (let layer = 0; layer < layers; layer++)
      for (let head = 0; head < heads; head++)
        for (let key = 0; key < keys; key++)
          row[key]! +=
            maps.data[((layer * heads + head) * queries + query) * keys + key]! / (layers * heads);
    return row;
  });
}

describe('summarize()', () => {
  it('attributes every summary word to source words as float64 pooling of its cross-attention says', async () => {
    const result = await summarize(text, { model, attribution: { topWords: 2 } });
    expect(result.words.length).toBeGreaterThan(0);
    expect(result.warnings).toEqual([]);
    const [, , queries, keys] = result.attention!.dims;
    expect(queries).toBe(result.summaryTokens.length); // decoder start + tokens, minus the last
    expect(keys).toBe(result.sourceTokens.length);

    const tokenizer = await loadTokenizer(await openModelFolder(model));
    const source = tokenizer.encode(text);
    const targetOffsets = tokenizer.alignTokens(result.summary, result.summaryTokens).offsets;
    const rows = meanRows(result);
    const summaryWords = wordSpans(result.summary);
    const sourceWords = wordSpans(text);
    const wordOf = (spans: typeof sourceWords, [start, end]: readonly [number, number]) =>
      end > start ? spans.findIndex((span) => span.start <= start && start < span.end) : -1;
    expect(result.words.map((word) => word.word)).toEqual(
      summaryWords.map((span) => result.summary.slice(span.start, span.end)),
    );
    result.words.forEach((word, u) => {
      // mean of the word's rows, summed per source word, renormalised
      const tokens = targetOffsets.flatMap((pair, t) =>
        wordOf(summaryWords, pair) === u ? [t] : [],
      );
      const perWord = new Float64Array(sourceWords.length);
      for (const t of tokens)
        source.offsets.forEach((pair, s) => {
          const v = wordOf(sourceWords, pair);
          if (v >= 0) perWord[v]! += rows[t]![s]! / tokens.length;
        });
      const total = perWord.reduce((sum, value) => sum + value, 0);
      const topTwo = [...perWord].sort((a, b) => b - a).slice(0, 2);
      const weights = word.sources.reduce((sum, span) => sum + span.weight, 0);
      expect(weights).toBeCloseTo((topTwo[0]! + topTwo[1]!) / total, 5);
      for (const span of word.sources) {
        expect(span.start).toBeGreaterThanOrEqual(0);
        expect(span.end).toBeLessThanOrEqual(text.length);
        // a span starts and ends on word boundaries of the source
        expect(sourceWords.some((w) => w.start === span.start)).toBe(true);
        expect(sourceWords.some((w) => w.end === span.end)).toBe(true);
      }
    });
  });

  it('highlights every source sentence, weights summing to 1, and gives each summary sentence its sources', async () => {
    const result = await summarize(text, { model });
    expect(result.sourceHighlights.map(({ start, end }) => ({ start, end }))).toEqual(
      sentenceSpans(text),
    );
    expect(result.sourceHighlights.reduce((sum, span) => sum + span.weight, 0)).toBeCloseTo(1, 5);
    expect(result.sentences.map((sentence) => sentence.text)).toEqual(
      sentenceSpans(result.summary).map((span) => result.summary.slice(span.start, span.end)),
    );
    for (const sentence of result.sentences) {
      expect(result.summary.slice(sentence.start, sentence.end)).toBe(sentence.text);
      expect(sentence.sources.length).toBeGreaterThan(0);
      const total = sentence.sources.reduce((sum, span) => sum + span.weight, 0);
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(1 + 1e-6);
    }
  });

  it('truncates a text beyond the model positions with a warning, and never points past the cut', async () => {
    const long = Array.from({ length: 40 }, () => text).join(' ');
    const result = await summarize(long, { model, maxNewTokens: 4 });
    expect(result.sourceTokens).toHaveLength(512);
    expect(result.sourceTokens.at(-1)).toBe('</s>');
    expect(result.warnings).toHaveLength(1);
    const cut = Number(/summarized up to character (\d+)/.exec(result.warnings[0]!)?.[1]);
    expect(cut).toBeGreaterThan(0);
    expect(cut).toBeLessThan(long.length);
    const spans = [...result.words, ...result.sentences].flatMap((unit) => unit.sources);
    for (const span of spans) expect(span.end).toBeLessThanOrEqual(cut);
    for (const span of result.sourceHighlights) if (span.start >= cut) expect(span.weight).toBe(0);
  });

  it('runs beam search, and without attention returns the same summary untapped', async () => {
    const beam = await summarize(text, { model, numBeams: 3, maxNewTokens: 8 });
    const plain = await summarize(text, { model, numBeams: 3, maxNewTokens: 8, attention: false });
    expect(plain.summary).toBe(beam.summary);
    expect(plain.score).toBeCloseTo(beam.score, 4);
    expect(plain.attention).toBeUndefined();
    expect(plain.words.every((word) => word.sources.length === 0)).toBe(true);
    // every row of the chosen beam's cross-attention is a distribution over the source
    const [layers, heads, queries, keys] = beam.attention!.dims;
    for (let row = 0; row < layers * heads * queries; row++) {
      let sum = 0;
      for (let key = 0; key < keys; key++) sum += beam.attention!.data[row * keys + key]!;
      expect(sum).toBeCloseTo(1, 4);
    }
  });

  it('taps only the layers asked for, and keeps a prefix out of the attribution', async () => {
    const layer = await summarize(text, { model, attribution: { layers: [1], heads: [0] } });
    expect(layer.attention!.layers).toEqual([1]);
    const prefixed = await summarize(text, { model, prefix: 'summarize: ' });
    expect(prefixed.sourceTokens.slice(1, 4).join('')).toMatch(/^su/);
    const spans = [...prefixed.words, ...prefixed.sentences].flatMap((unit) => unit.sources);
    expect(spans.length).toBeGreaterThan(0);
    for (const span of spans) {
      expect(span.end).toBeLessThanOrEqual(text.length);
      expect(text.slice(span.start, span.end).trim()).toBe(text.slice(span.start, span.end));
    }
    expect(prefixed.sourceHighlights.reduce((sum, span) => sum + span.weight, 0)).toBeCloseTo(1, 5);
  });

  it('rejects bad input before loading, and models that do not summarize', async () => {
    await expect(summarize('  ', { model })).rejects.toThrow(
      "summarize(): text must be a non-empty string, got '  '. Fix: pass the text to summarize.",
    );
    await expect(summarize(7 as unknown as string)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(summarize('a', { attribution: { topWords: 0 } })).rejects.toThrow(
      'summarize(): options.attribution.topWords must be a positive integer, got 0.',
    );
    await expect(summarize('A dog.', { model: join(fixtures, 'tiny-bert') })).rejects.toThrow(
      /summarize\(\): .*tiny-bert is a 'bert' model; summarize runs bart, mbart, t5, mt5, pegasus, marian models/,
    );
    await expect(summarize('A dog.', { model: '/nonexistent/attn-model' })).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
  });
});
