// Measuring each variant in a process of its own. Sessions of onnxruntime in one process share its cores: a session
// whose operator threads spin after a run (onnxruntime's default, transformers.js's too) takes a core away from the
// session timed next, so in one process a variant's time depends on which variants it shares the process with.
// measureIsolated() starts the benchmark script again for every (round, variant): the child runs the script up to
// the same measureIsolated() call, times that one variant after its warm-up, reports the samples and exits. Rounds
// alternate the variants in a seeded random order, as measureInterleaved() does, so drift in machine load falls on
// all of them alike.
import { spawn } from 'node:child_process';
import { seededRandom } from '@attn/core-attention';
import {
  measure,
  measureInterleaved,
  shuffledIndices,
  toMeasurements,
  type Measurement,
  type Variant,
} from './measure.js';

/** Set in a child's environment: which section and variant it times, and how. */
const childRequestKey = 'ATTN_BENCH_ISOLATED';
/** Precedes a child's samples on its standard output. */
const reportMarker = 'attn-bench-isolated-samples ';
/** How long a child may take before it is stopped and the measurement fails. */
const childTimeoutMs = 10 * 60 * 1000;

/**
 * True in a child process that {@link measureIsolated} started: a script skips its one-off checks there (the parent
 * ran them).
 *
 * @example
 * ```ts
 * if (!isIsolatedChild()) console.log(`same ids: ${checkIds()}`);
 * ```
 */
export function isIsolatedChild(): boolean {
  return process.env[childRequestKey] !== undefined;
}

interface ChildRequest {
  section: string;
  variant: number;
  warmup: number;
  runs: number;
}

/**
 * Times each of `variants` in child processes, `rounds` rounds of one child per variant, each child timing
 * ⌈runs / rounds⌉ runs after `warmup` untimed ones. `section` names the call (unique within the script): a child
 * started for another section gets measurements without samples (NaN times) from this one and runs on to its own.
 * The script must reach every measureIsolated() call with the same variants in every process, and be started as
 * a file (`tsx src/x.ts`): each child runs node with the parent's flags, script and arguments.
 *
 * @example
 * ```ts
 * const [ours, peer] = await measureIsolated('latency', [
 *   { name: 'attn', task: () => translate(text) },
 *   { name: 'transformers.js', task: () => peerTranslate(text) },
 * ], { warmup: 5, runs: 60, rounds: 4 });
 * ```
 * @throws {Error} when a child fails, reports no samples or runs past 10 minutes (with the child's exit status or
 * signal and the end of its standard error).
 */
export async function measureIsolated(
  section: string,
  variants: readonly Variant[],
  options: { warmup?: number; runs?: number; rounds?: number } = {},
): Promise<Measurement[]> {
  const { warmup = 1, runs = 5, rounds = 3 } = options;
  const requested = process.env[childRequestKey];
  if (requested !== undefined) {
    const request = JSON.parse(requested) as ChildRequest;
    if (request.section !== section)
      return variants.map((variant) => ({
        name: variant.name,
        samples: [],
        medianMs: Number.NaN,
        p90Ms: Number.NaN,
        minMs: Number.NaN,
        unitsPerRun: variant.unitsPerRun ?? 1,
      }));
    const variant = variants[request.variant] as Variant;
    const timed = await measure(variant.name, variant.task, {
      warmup: request.warmup,
      runs: request.runs,
    });
    process.stdout.write(`${reportMarker}${JSON.stringify(timed.samples)}\n`, () =>
      process.exit(0),
    );
    return new Promise<never>(() => {}); // the child ends once its report is written
  }
  const perChild = Math.max(1, Math.ceil(runs / rounds));
  const samples = variants.map((): number[] => []);
  for (let round = 0; round < rounds; round++)
    for (const index of shuffledIndices(variants.length, seededRandom(round + 1)))
      (samples[index] as number[]).push(
        ...(await runChild({ section, variant: index, warmup, runs: perChild })),
      );
  return toMeasurements(variants, samples);
}

/**
 * The benchmarks' choice between the two: {@link measureIsolated} (`runs` spread over up to five rounds) when
 * `isolated`, else measureInterleaved in this process.
 *
 * @example
 * ```ts
 * const measured = await measureVariants('latency', variants, { warmup: 5, runs: 60, isolated: values.isolated });
 * ```
 */
export function measureVariants(
  section: string,
  variants: readonly Variant[],
  options: { warmup: number; runs: number; isolated: boolean },
): Promise<Measurement[]> {
  const { warmup, runs, isolated } = options;
  return isolated
    ? measureIsolated(section, variants, { warmup, runs, rounds: Math.min(runs, 5) })
    : measureInterleaved(variants, { warmup, runs });
}

/** Starts this script again for one variant and returns the samples it reports. */
function runChild(request: ChildRequest): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, [childRequestKey]: JSON.stringify(request) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, childTimeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const at = stdout.lastIndexOf(reportMarker);
      if (code !== 0 || at < 0) {
        const ending = timedOut
          ? 'ran past 10 minutes and was stopped'
          : signal === null
            ? `exited with ${code}`
            : `was stopped by ${signal}`;
        reject(
          new Error(
            `measureIsolated(): the child for section '${request.section}', variant ${request.variant} ` +
              `${ending} without reporting samples; its standard error:\n${stderr.slice(-2000)}`,
          ),
        );
        return;
      }
      resolve(
        JSON.parse(stdout.slice(at + reportMarker.length).split('\n')[0] as string) as number[],
      );
    });
  });
}
