import { describe, expect, it } from 'vitest';
import { formatTable, measure, measureInterleaved, speedup, summarize } from './index.js';

describe('bench harness', () => {
  it('summarizes with interpolated quantiles', () => {
    expect(summarize([3, 1, 2])).toEqual({ medianMs: 2, p90Ms: 2.8, minMs: 1 });
    expect(summarize([5])).toEqual({ medianMs: 5, p90Ms: 5, minMs: 5 });
    expect(() => summarize([])).toThrow(/must not be empty/);
  });

  it('runs warm-up untimed and the requested number of timed runs', async () => {
    let calls = 0;
    const m = await measure('count', () => calls++, { warmup: 3, runs: 4 });
    expect(calls).toBe(7);
    expect(m.samples).toHaveLength(4);
  });

  it('interleaves variants round by round, each round in another order', async () => {
    const order: string[] = [];
    const variants = ['a', 'b', 'c'].map((name) => ({ name, task: () => order.push(name) }));
    const measured = await measureInterleaved(variants, { warmup: 1, runs: 12 });
    expect(order.slice(0, 3).join('')).toBe('abc'); // warm-up
    const rounds = Array.from({ length: 12 }, (_, round) =>
      order.slice(3 + 3 * round, 6 + 3 * round).join(''),
    );
    for (const round of rounds) expect([...round].sort().join('')).toBe('abc');
    // no variant always runs after the same one
    for (const name of ['a', 'b', 'c']) {
      const predecessors = new Set(
        rounds.flatMap((round) =>
          round.indexOf(name) > 0 ? [round[round.indexOf(name) - 1]] : [],
        ),
      );
      expect(predecessors.size).toBe(2);
    }
    expect(measured.map((m) => [m.name, m.samples.length, m.unitsPerRun])).toEqual([
      ['a', 12, 1],
      ['b', 12, 1],
      ['c', 12, 1],
    ]);
  });

  it('prints throughput and the ratio to the baseline', () => {
    const table = formatTable(
      't',
      [
        { name: 'ours', samples: [10], medianMs: 10, p90Ms: 10, minMs: 10, unitsPerRun: 5 },
        { name: 'peer', samples: [30], medianMs: 30, p90Ms: 30, minMs: 30, unitsPerRun: 5 },
      ],
      { baseline: 'peer', unit: 'sentences' },
    );
    expect(table).toMatch(/ours\s+10\.00\s+10\.00\s+500\.00\s+3\.00x/);
    expect(table).toMatch(/peer\s+30\.00\s+30\.00\s+166\.67\s+1\.00x/);
    expect(speedup({ medianMs: 10 }, { medianMs: 30 })).toBe(3);
  });
});
