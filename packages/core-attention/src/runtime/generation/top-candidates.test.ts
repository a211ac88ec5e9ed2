import { describe, expect, it } from 'vitest';
import { randomInt, randomNormal, seededRandom } from '../../testing/index.js';
import { topCandidates } from './top-candidates.js';

describe('topCandidates', () => {
  it('equals sorting every (beam, token) pair, on random rows with ties and dead beams', () => {
    const random = seededRandom(12);
    for (let trial = 0; trial < 30; trial++) {
      const beams = randomInt(random, 1, 5);
      const vocabSize = randomInt(random, 1, 9);
      const firstRow = randomInt(random, 0, 3);
      // rounded values make ties common; some entries are -Infinity
      const logits = randomNormal(random, (firstRow + beams) * vocabSize).map((value) =>
        value > 1.5 ? Number.NEGATIVE_INFINITY : Math.round(value * 2) / 2,
      );
      const beamScores = Array.from({ length: beams }, () =>
        random() < 0.2 ? Number.NEGATIVE_INFINITY : Math.round(random() * 4) / 2,
      );
      const count = randomInt(random, 1, 10);
      const all: { score: number; beam: number; token: number }[] = [];
      beamScores.forEach((beamScore, beam) => {
        for (let token = 0; token < vocabSize; token++) {
          const score = beamScore + (logits[(firstRow + beam) * vocabSize + token] as number);
          if (score > Number.NEGATIVE_INFINITY) all.push({ score, beam, token });
        }
      });
      all.sort((a, b) => b.score - a.score || a.beam - b.beam || a.token - b.token);
      expect(topCandidates(logits, vocabSize, firstRow, beamScores, count)).toEqual(
        all.slice(0, count),
      );
    }
  });
});
