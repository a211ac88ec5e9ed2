import { describe, expect, it } from 'vitest';
import { createAttentionMaps, type CharacterOffsets } from '@attn/core-attention';
import { sourceAttribution, type WeightedSpan } from './source-attribution.js';

// source 'A dog runs. The cat.': tokens <s> A dog run s. The cat. </s>
const sourceText = 'A dog runs. The cat.';
const sourceOffsets: CharacterOffsets[] = [
  [0, 0],
  [0, 1],
  [2, 5],
  [6, 9],
  [9, 11],
  [12, 15],
  [16, 20],
  [0, 0],
];
// target 'Dog runs.': query rows produced Dog, run, s., </s>
const targetText = 'Dog runs.';
const targetOffsets: CharacterOffsets[] = [
  [0, 3],
  [4, 7],
  [7, 9],
  [0, 0],
];
// head 0: W; head 1: uniform
const W = [
  [0.1, 0.0, 0.6, 0.1, 0.0, 0.1, 0.1, 0.0],
  [0.0, 0.1, 0.1, 0.4, 0.2, 0.0, 0.0, 0.2],
  [0.2, 0.0, 0.0, 0.2, 0.4, 0.0, 0.2, 0.0],
  [0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125],
];
const maps = createAttentionMaps({
  kind: 'cross',
  layers: [0],
  heads: [0, 1],
  queryLabels: ['Dog', 'run', 's.', '</s>'],
  keyLabels: ['<s>', 'A', 'dog', 'run', 's.', 'The', 'cat.', '</s>'],
  data: new Float32Array([...W.flat(), ...new Array<number>(32).fill(0.125)]),
});

function expectSpans(actual: WeightedSpan[] | undefined, expected: WeightedSpan[]): void {
  expect(actual?.map(({ start, end }) => [start, end])).toEqual(
    expected.map(({ start, end }) => [start, end]),
  );
  actual?.forEach((span, index) => expect(span.weight).toBeCloseTo(expected[index]!.weight, 6));
}

describe('sourceAttribution', () => {
  it('pools head 0 into words and sentences (hand-worked)', () => {
    const attribution = sourceAttribution(maps, {
      sourceText,
      sourceOffsets,
      targetText,
      targetOffsets,
      topWords: 2,
      heads: [0],
    });
    // 'Dog' (row 0) over source words A, dog, runs., The, cat. = 0, 0.6, 0.1, 0.1, 0.1 (÷ 0.9);
    // top 2: dog (2/3), runs. (1/9, the first of three ties) — adjacent, so one span 'dog runs.' of 7/9
    expectSpans(attribution.words[0], [{ start: 2, end: 11, weight: 7 / 9 }]);
    // 'runs.' = mean of rows 1 and 2 → 0.05, 0.05, 0.6, 0, 0.1 (÷ 0.8): runs. 0.75, cat. 0.125
    expectSpans(attribution.words[1], [
      { start: 6, end: 11, weight: 0.75 },
      { start: 16, end: 20, weight: 0.125 },
    ]);
    // the one sentence = mean of rows 0–2 → (0.1, 0.7, 1.3, 0.1, 0.3) / 3 (÷ 2.5 / 3): runs. 0.52 + dog 0.28
    expect(attribution.sentences).toHaveLength(1);
    expectSpans(attribution.sentences[0], [{ start: 2, end: 11, weight: 0.8 }]);
    // source sentences: (0.1 + 0.7 + 1.3) / 3 = 0.7 and (0.1 + 0.3) / 3 = 0.1333, ÷ 0.8333 → 0.84, 0.16
    expectSpans(attribution.sourceSentences, [
      { start: 0, end: 11, weight: 0.84 },
      { start: 12, end: 20, weight: 0.16 },
    ]);
  });

  it('averages the heads by default', () => {
    const attribution = sourceAttribution(maps, {
      sourceText,
      sourceOffsets,
      targetText,
      targetOffsets,
      topWords: 1,
    });
    // 'Dog' = (W row 0 + 0.125) / 2 → words A, dog, runs., The, cat. = 0.0625, 0.3625, 0.175, 0.1125, 0.1125 (÷ 0.825)
    expectSpans(attribution.words[0], [{ start: 2, end: 5, weight: 0.3625 / 0.825 }]);
  });

  it('gives source text past the attended tokens (a truncated source) no weight', () => {
    const longer = `${sourceText} A bird sings.`;
    const attribution = sourceAttribution(maps, {
      sourceText: longer,
      sourceOffsets,
      targetText,
      targetOffsets,
      topWords: 5,
    });
    expect(attribution.sourceSentences.map((span) => longer.slice(span.start, span.end))).toEqual([
      'A dog runs.',
      'The cat.',
      'A bird sings.',
    ]);
    expect(attribution.sourceSentences[2]!.weight).toBe(0);
    for (const spans of [...attribution.words, ...attribution.sentences]) {
      for (const span of spans) expect(span.end).toBeLessThanOrEqual(sourceText.length);
      const total = spans.reduce((sum, span) => sum + span.weight, 0);
      expect(total).toBeCloseTo(1, 6); // 5 words kept = every source word
    }
  });

  it('returns nothing for a target without words', () => {
    const attribution = sourceAttribution(maps, {
      sourceText,
      sourceOffsets,
      targetText: '',
      targetOffsets: targetOffsets.map(() => [0, 0] as const),
      topWords: 2,
    });
    expect(attribution.words).toEqual([]);
    expect(attribution.sentences).toEqual([]);
    expect(attribution.sourceSentences.map((span) => span.weight)).toEqual([0, 0]);
  });

  it('rejects offsets that do not fit the text', () => {
    expect(() =>
      sourceAttribution(maps, {
        sourceText: 'short',
        sourceOffsets,
        targetText,
        targetOffsets,
        topWords: 2,
      }),
    ).toThrow(
      /wordIdsFromOffsets\(\): offsets\[3\] must be \[start, end\] with 0 ≤ start ≤ end ≤ 5/,
    );
  });
});
