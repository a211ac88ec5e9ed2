import { describe, expect, it } from 'vitest';
import { wordGroups, wordMatrix } from './word-groups.js';

describe('wordGroups', () => {
  it('joins SentencePiece and byte-level BPE continuations onto the word they continue', () => {
    expect(wordGroups(['▁Ein', '▁Hund', 'e', '.', '</s>'])).toEqual([
      { text: 'Ein', tokens: [0] },
      { text: 'Hunde.', tokens: [1, 2, 3] },
      { text: '</s>', tokens: [4] },
    ]);
    expect(wordGroups(['ĠThe', 'Ġdog', 's', 'Ġrun']).map((word) => word.text)).toEqual([
      'The',
      'dogs',
      'run',
    ]);
  });

  it('reads WordPiece, where only ## continues, and keeps special tokens apart', () => {
    expect(wordGroups(['[CLS]', 'play', '##ing', 'ball', '[SEP]', '##x'])).toEqual([
      { text: '[CLS]', tokens: [0] },
      { text: 'playing', tokens: [1, 2] },
      { text: 'ball', tokens: [3] },
      { text: '[SEP]', tokens: [4] },
      { text: 'x', tokens: [5] },
    ]);
  });

  it('covers every token exactly once, in order', () => {
    const tokens = ['▁A', 'b', 'c', '▁d', '<pad>', 'e', '▁f'];
    expect(wordGroups(tokens).flatMap((word) => word.tokens)).toEqual(tokens.map((_, i) => i));
  });
});

describe('wordMatrix', () => {
  it('averages rows and sums columns within words, so rows stay distributions', () => {
    // 3 query tokens x 4 key tokens; query words {0, 1}, {2}; key words {0}, {1, 2}, {3}
    const matrix = new Float32Array([
      0.1, 0.2, 0.3, 0.4, 0.4, 0.3, 0.2, 0.1, 0.25, 0.25, 0.25, 0.25,
    ]);
    const rows = [
      { text: 'ab', tokens: [0, 1] },
      { text: 'c', tokens: [2] },
    ];
    const keys = [
      { text: 'w', tokens: [0] },
      { text: 'xy', tokens: [1, 2] },
      { text: 'z', tokens: [3] },
    ];
    const pooled = wordMatrix(matrix, 4, rows, keys);
    const expected = [0.25, 0.5, 0.25, 0.25, 0.5, 0.25];
    expected.forEach((value, index) => expect(pooled[index]).toBeCloseTo(value, 6));
    for (const r of [0, 1])
      expect(pooled[r * 3]! + pooled[r * 3 + 1]! + pooled[r * 3 + 2]!).toBeCloseTo(1, 6);
  });
});
