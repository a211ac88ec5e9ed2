// Timing for benchmarks: warm-up runs, then timed runs; medians and spread, never a single sample.
import { performance } from 'node:perf_hooks';
import { seededRandom } from '@attn/core-attention';

export interface MeasureOptions {
  /** Untimed runs first (JIT, session creation, caches). Default 2. */
  warmup?: number;
  /** Timed runs. Default 10. */
  runs?: number;
  /** Stop timing after this many milliseconds even if fewer runs were made (at least 3 runs always). */
  budgetMs?: number;
}

export interface Measurement {
  name: string;
  /** Milliseconds per run, in the order they ran. */
  samples: number[];
  medianMs: number;
  p90Ms: number;
  minMs: number;
  /** Work units per run (sentences, images, tokens…), for throughput. */
  unitsPerRun: number;
}

/**
 * Runs `task` `warmup` times untimed and then `runs` times timed.
 *
 * @example
 * ```ts
 * const m = await measure('sum', () => { let s = 0; for (let i = 0; i < 1e6; i++) s += i; }, { runs: 5 });
 * m.samples.length; // 5
 * ```
 */
export async function measure(
  name: string,
  task: () => unknown,
  options: MeasureOptions & { unitsPerRun?: number } = {},
): Promise<Measurement> {
  const { warmup = 2, runs = 10, budgetMs = Number.POSITIVE_INFINITY, unitsPerRun = 1 } = options;
  for (let i = 0; i < warmup; i++) await task();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < runs && (samples.length < 3 || performance.now() - started < budgetMs)) {
    const t0 = performance.now();
    await task();
    samples.push(performance.now() - t0);
  }
  return { name, samples, ...summarize(samples), unitsPerRun };
}

/** One variant for {@link measureInterleaved}. */
export interface Variant {
  name: string;
  task: () => unknown;
  /** Work units per run (sentences, images, tokens…), for throughput. Default 1. */
  unitsPerRun?: number;
}

/**
 * Measures several variants of one task round by round: every round times each variant once, in a
 * seeded random order, so a change in machine load (a shared CPU) falls on all of them alike instead of
 * on whichever ran during it, and no variant always follows the same one (a variant run right after
 * another on the same onnxruntime session ran up to a third faster in the chat bench). Warm-up runs of
 * every variant come first.
 *
 * @example
 * ```ts
 * const [a, b] = await measureInterleaved([{ name: 'a', task: f }, { name: 'b', task: g }], { runs: 5 });
 * a.samples.length; // 5
 * ```
 */
export async function measureInterleaved(
  variants: readonly Variant[],
  options: { warmup?: number; runs?: number } = {},
): Promise<Measurement[]> {
  const { warmup = 1, runs = 5 } = options;
  for (const variant of variants) for (let i = 0; i < warmup; i++) await variant.task();
  const samples = variants.map((): number[] => []);
  for (let round = 0; round < runs; round++) {
    for (const index of shuffledIndices(variants.length, seededRandom(round + 1))) {
      const t0 = performance.now();
      await (variants[index] as Variant).task();
      (samples[index] as number[]).push(performance.now() - t0);
    }
  }
  return toMeasurements(variants, samples);
}

/** Each variant's measurement from its samples (samples[i] belongs to variants[i]). */
export function toMeasurements(
  variants: readonly Variant[],
  samples: readonly (readonly number[])[],
): Measurement[] {
  return variants.map((variant, index) => ({
    name: variant.name,
    samples: [...(samples[index] as number[])],
    ...summarize(samples[index] as number[]),
    unitsPerRun: variant.unitsPerRun ?? 1,
  }));
}

/**
 * Median, 90th percentile and minimum of a list of timings.
 *
 * @example
 * ```ts
 * summarize([3, 1, 2]); // { medianMs: 2, p90Ms: 3, minMs: 1 }
 * ```
 */
export function summarize(samples: readonly number[]): {
  medianMs: number;
  p90Ms: number;
  minMs: number;
} {
  if (samples.length === 0) throw new Error('summarize(): samples must not be empty');
  const sorted = [...samples].sort((a, b) => a - b);
  const quantile = (q: number): number => {
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return (
      (sorted[low] as number) +
      ((sorted[high] as number) - (sorted[low] as number)) * (position - low)
    );
  };
  return { medianMs: quantile(0.5), p90Ms: quantile(0.9), minMs: sorted[0] as number };
}

/** 0 … n − 1 in a random order (Fisher–Yates). */
export function shuffledIndices(n: number, random: () => number): number[] {
  const indices = Array.from({ length: n }, (_, index) => index);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
  }
  return indices;
}
