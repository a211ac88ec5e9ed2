import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Measurement } from './measure.js';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('measureIsolated', () => {
  it('times each variant in processes of its own, round by round, and skips the other sections there', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'attn-isolated-')), 'runs.log');
    const output = execFileSync(
      process.execPath,
      ['--import', tsxLoader, join(import.meta.dirname, 'isolated-fixture.ts')],
      { env: { ...process.env, ISOLATED_FIXTURE_LOG: log }, encoding: 'utf8' },
    );
    const { parent, first, second } = JSON.parse(output.trim().split('\n').at(-1) as string) as {
      parent: number;
      first: Measurement[];
      second: Measurement[];
    };
    expect(first.map((m) => [m.name, m.samples.length, m.unitsPerRun])).toEqual([
      ['a', 4, 2],
      ['b', 4, 2],
    ]);
    expect(second.map((m) => [m.name, m.samples.length])).toEqual([['c', 3]]);
    for (const m of [...first, ...second]) expect(m.medianMs).toBeGreaterThanOrEqual(0);

    const runs = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    const pids = new Set(runs.map(([, , pid]) => Number(pid)));
    expect(pids.has(parent)).toBe(false); // the parent runs no task
    // a child per (round, variant): 2 rounds × 2 variants, then 3 rounds × 1; each runs one variant only,
    // its warm-up run (1 for 'first', 1 by default for 'second') and its share of the timed runs (2, 1)
    const byPid = new Map<number, string[]>();
    for (const [section, name, pid] of runs)
      byPid.set(Number(pid), [...(byPid.get(Number(pid)) ?? []), `${section} ${name}`]);
    expect(byPid.size).toBe(7);
    const perChild = [...byPid.values()].map((names) => [...new Set(names)]);
    for (const names of perChild) expect(names).toHaveLength(1);
    expect([...byPid.values()].map((names) => names.length).sort()).toEqual([2, 2, 2, 3, 3, 3, 3]);
  });
});
