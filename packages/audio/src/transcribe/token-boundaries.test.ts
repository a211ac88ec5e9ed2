import { createTensor } from '@attn/core-attention';
import { randomInt, seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { tokenBoundaries } from './token-boundaries.js';
import { windowWords } from './window-words.js';

const bytes = (tokens: string[]): Uint8Array[] =>
  tokens.map((token) => new TextEncoder().encode(token));

/**
 * [heads, Q, F]: `promptRows` rows attending uniformly, then row r attending only to frames
 * [starts[r], starts[r + 1]) (the last row to the end), scaled per head.
 */
function blockDiagonal(heads: number, promptRows: number, starts: number[], frames: number) {
  const Q = promptRows + starts.length;
  const weights = createTensor('float32', [heads, Q, frames]);
  for (let a = 0; a < heads; a++)
    for (let q = 0; q < Q; q++)
      for (let f = 0; f < frames; f++) {
        const r = q - promptRows;
        const inside = r >= 0 && f >= starts[r]! && f < (starts[r + 1] ?? frames);
        const width = r < 0 ? frames : (starts[r + 1] ?? frames) - starts[r]!;
        weights.data[(a * Q + q) * frames + f] = r < 0 || inside ? 1 / width : 0;
      }
  return weights;
}

describe('tokenBoundaries', () => {
  it('reads token starts off a block diagonal (the TSDoc example, no smoothing)', () => {
    const weights = createTensor(
      'float32',
      [1, 4, 6],
      new Float32Array([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1]),
    );
    expect([
      ...tokenBoundaries(weights, {
        firstRow: 1,
        tokens: 2,
        hasEndRow: true,
        medianFilterWidth: 1,
      }),
    ]).toEqual([0, 2, 4]);
  });

  it('turns a known diagonal into known word times, through the median filter of width 7', () => {
    // prompt <|startoftranscript|> <|en|> <|transcribe|> <|notimestamps|>: rows 0–3; row 3 predicts ' hel'.
    // Tokens ' hel' 'lo' ' world' '.' attend to frames [0,5) [5,10) [10,15) [15,20), the end row to [20,25).
    // Width-7 medians keep 5-frame blocks: at a block's first frame 4 of the 7 values are inside the block.
    const weights = blockDiagonal(2, 3, [0, 5, 10, 15, 20], 25);
    const boundaries = tokenBoundaries(weights, {
      firstRow: 3,
      tokens: 4,
      hasEndRow: true,
      medianFilterWidth: 7,
    });
    expect([...boundaries]).toEqual([0, 5, 10, 15, 20]);
    // at 0.02 s per frame in a window starting at 4 s: 'hello' = frames [0, 10) = 4.0–4.2 s,
    // 'world.' = frames [10, 20) = 4.2–4.4 s; confidence = mean of the token probabilities
    const words = windowWords(
      [1, 2, 3, 4],
      bytes([' hel', 'lo', ' world', '.']),
      new Float64Array([0.5, 0.7, 0.9, 0.3]),
      { boundaries, secondsPerFrame: 0.02, startSeconds: 4, endSeconds: 6 },
    );
    expect(words).toEqual([
      { surface: ' hello', tokens: [1, 2], start: 4, end: 4.2, confidence: 0.6 },
      { surface: ' world.', tokens: [3, 4], start: 4.2, end: 4.4, confidence: 0.6 },
    ]);
  });

  it('ends the last token one frame after the path when generation stopped without <|endoftext|>', () => {
    const weights = blockDiagonal(1, 1, [0, 3, 6], 9); // rows: prompt, tokens at [0,3) [3,6) [6,9)
    expect([
      ...tokenBoundaries(weights, {
        firstRow: 1,
        tokens: 3,
        hasEndRow: false,
        medianFilterWidth: 1,
      }),
    ]).toEqual([0, 3, 6, 9]);
  });

  it('clamps word times to the audio of the window', () => {
    const words = windowWords([7], bytes(['hi']), new Float64Array([1]), {
      boundaries: new Int32Array([90, 100]),
      secondsPerFrame: 0.02,
      startSeconds: 0,
      endSeconds: 1.5,
    });
    // frames 90–100 are 1.8–2.0 s, past the audio's 1.5 s; the first word also gets its leading space
    expect(words).toEqual([{ surface: ' hi', tokens: [7], start: 1.5, end: 1.5, confidence: 1 }]);
  });

  it('gives non-decreasing boundaries from 0 to at most F on random attention', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const [A, tokens, F] = [
        randomInt(random, 1, 4),
        randomInt(random, 1, 12),
        randomInt(random, 1, 40),
      ];
      const Q = 2 + tokens + 1;
      const weights = createTensor(
        'float32',
        [A, Q, F],
        Float32Array.from({ length: A * Q * F }, random),
      );
      const hasEndRow = trial % 2 === 0;
      const boundaries = tokenBoundaries(weights, {
        firstRow: 2,
        tokens,
        hasEndRow,
        medianFilterWidth: 7,
      });
      expect(boundaries[0]).toBe(0);
      for (let i = 1; i <= tokens; i++)
        expect(boundaries[i]).toBeGreaterThanOrEqual(boundaries[i - 1]!);
      expect(boundaries[tokens]).toBeLessThanOrEqual(hasEndRow ? F - 1 : F);
    }
  });

  it('rejects weights with too few positions', () => {
    expect(() =>
      tokenBoundaries(createTensor('float32', [1, 3, 4]), {
        firstRow: 1,
        tokens: 2,
        hasEndRow: true,
        medianFilterWidth: 7,
      }),
    ).toThrow(
      'tokenBoundaries(): weights must be at least one head and frame and 4 positions (firstRow + tokens + end row), got [1,3,4].',
    );
  });
});
