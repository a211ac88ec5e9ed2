// Benchmark: streaming attention (online softmax, no weights kept) against the materialising scaled dot-product
// attention (weights [T,S] kept), at T = S = 16,384, D = 64, B = H = 1: time, GFLOP/s and peak memory of each, next to
// the machine's matrix-multiply ceiling (an onnxruntime-node MatMul).
// Run: cd tools/bench && npx tsx src/streaming-attention.ts [length]    (length = T = S, default 16384)
// Each kernel runs once in its own child process, so its peak RSS (process.resourceUsage().maxRSS) is its own.
import { fork } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import {
  scaledDotProductAttention,
  streamingAttention,
  type AttentionResult,
  type Tensor,
} from '@attn/core-attention';
import { OnnxBuilder, randomNormal, seededRandom } from '@attn/core-attention/testing';
import { measure } from './harness/index.js';

const depth = 64;
const chunkSize = 256;
const matmulSize = 2048;
const sampleCount = 4096;
const variants = ['baseline', 'streaming', 'materialising'] as const;
type Variant = (typeof variants)[number];

/** What a child process reports about its one run. */
interface ChildReport {
  variant: Variant;
  seconds: number;
  peakRssBytes: number;
  arrayBufferBytes: number;
  /** Evenly spaced output values, to check that the two kernels agree. */
  sample: number[];
}

if (process.argv[2] === '--child') {
  runChild(process.argv[3] as Variant, Number(process.argv[4]));
} else {
  await main(process.argv[2] === undefined ? 16_384 : Number(process.argv[2]));
}

async function main(length: number): Promise<void> {
  if (!Number.isInteger(length) || length < 1) {
    console.error(
      `usage: npx tsx src/streaming-attention.ts [length]; length must be a positive integer, got ${process.argv[2]}`,
    );
    process.exit(1);
  }
  const flops = 4 * length * length * depth; // 2·T·S·D for Q Kᵀ + 2·T·S·Dv for weights · V
  const cores = availableParallelism();
  console.log(
    `streaming attention benchmark: B = H = 1, T = S = ${length}, D = Dv = ${depth}, float32`,
  );
  console.log(`${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, Node ${process.version}`);
  console.log(
    `work per kernel: 4·T·S·D = ${(flops / 1e9).toFixed(1)} GFLOP (Q Kᵀ and weights · V; exp, max and sums not counted)`,
  );

  const ceilings = new Map<number, number>();
  for (const threads of new Set([1, cores])) ceilings.set(threads, await matmulGflops(threads));
  console.log(
    `\nonnxruntime-node ${ort.env.versions.common} MatMul ${matmulSize}×${matmulSize}×${matmulSize} float32, 2 warm-up + 5 timed runs, median:`,
  );
  for (const [threads, gflops] of ceilings)
    console.log(`  ${threads} thread${threads > 1 ? 's' : ''}: ${gflops.toFixed(1)} GFLOP/s`);

  const reports = new Map<Variant, ChildReport>();
  for (const variant of variants) reports.set(variant, await runInChild(variant, length));
  const baseline = reports.get('baseline') as ChildReport;

  const header = [
    'variant',
    'time s',
    'GFLOP/s',
    ...[...ceilings.keys()].map((t) => `of ORT ${t}T`),
    'peak RSS MiB',
    'over baseline MiB',
    'live ArrayBuffers MiB',
  ];
  const rows = variants.map((variant) => {
    const report = reports.get(variant) as ChildReport;
    const gflops = flops / report.seconds / 1e9;
    const timed = variant !== 'baseline';
    return [
      variant === 'baseline'
        ? 'baseline (inputs only)'
        : variant === 'streaming'
          ? `streaming (chunk ${chunkSize})`
          : 'materialising (weights)',
      timed ? report.seconds.toFixed(1) : '-',
      timed ? gflops.toFixed(2) : '-',
      ...[...ceilings.values()].map((ceiling) =>
        timed ? `${((100 * gflops) / ceiling).toFixed(1)}%` : '-',
      ),
      mebibytes(report.peakRssBytes),
      timed ? signed(report.peakRssBytes - baseline.peakRssBytes) : '-',
      mebibytes(report.arrayBufferBytes),
    ];
  });
  console.log(`\n${table(header, rows)}`);

  const weightsBytes = length * length * Float32Array.BYTES_PER_ELEMENT;
  console.log(
    `\nweights [T,S] float32 alone: ${weightsBytes.toLocaleString('en-US')} bytes (${mebibytes(weightsBytes)} MiB); run at full size`,
  );
  const streamed = reports.get('streaming')?.sample ?? [];
  const materialised = reports.get('materialising')?.sample ?? [];
  const maxDifference = Math.max(
    ...streamed.map((x, i) => Math.abs(x - (materialised[i] as number))),
  );
  console.log(
    `max |streaming - materialising| over ${streamed.length} sampled outputs: ${maxDifference.toExponential(2)}`,
  );
}

/** GFLOP/s of a warm onnxruntime MatMul of two n × n float32 matrices (2n³ flops). */
async function matmulGflops(threads: number): Promise<number> {
  const builder = new OnnxBuilder();
  const a = builder.input('a', 'float32', [matmulSize, matmulSize]);
  const b = builder.input('b', 'float32', [matmulSize, matmulSize]);
  const [product] = builder.node('MatMul', [a, b], { outputs: ['product'] });
  builder.output(product as string, 'float32', [matmulSize, matmulSize]);
  const session = await ort.InferenceSession.create(builder.toBytes(), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  const random = seededRandom(1);
  const feeds = {
    a: new ort.Tensor('float32', randomNormal(random, matmulSize * matmulSize), [
      matmulSize,
      matmulSize,
    ]),
    b: new ort.Tensor('float32', randomNormal(random, matmulSize * matmulSize), [
      matmulSize,
      matmulSize,
    ]),
  };
  const result = await measure(`MatMul ${threads}T`, () => session.run(feeds), {
    warmup: 2,
    runs: 5,
  });
  await session.release();
  return (2 * matmulSize ** 3) / (result.medianMs / 1000) / 1e9;
}

/** Forks this file as a child running one variant and waits for its report. */
function runInChild(variant: Variant, length: number): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    // execArgv is inherited, so the child runs under tsx too
    const child = fork(fileURLToPath(import.meta.url), ['--child', variant, String(length)]);
    let report: ChildReport | undefined;
    child.on('message', (message) => (report = message as ChildReport));
    child.on('error', reject);
    child.on('exit', (code) =>
      report
        ? resolve(report)
        : reject(new Error(`${variant} child exited with code ${code} and no report`)),
    );
  });
}

/** Child: allocates the inputs, runs one kernel once (or nothing, for the baseline), reports time and peak memory. */
function runChild(variant: Variant, length: number): void {
  const random = seededRandom(7);
  const input = (): Tensor<'float32'> => ({
    type: 'float32',
    data: randomNormal(random, length * depth),
    dims: [1, 1, length, depth],
  });
  const [query, key, value] = [input(), input(), input()];
  const started = performance.now();
  let result: AttentionResult | undefined;
  if (variant === 'streaming') result = streamingAttention(query, key, value, { chunkSize });
  if (variant === 'materialising')
    result = scaledDotProductAttention(query, key, value, { returnWeights: true });
  const seconds = (performance.now() - started) / 1000;
  const output = result?.output.data;
  const stride = output === undefined ? 1 : Math.max(1, Math.floor(output.length / sampleCount));
  const sample =
    output === undefined
      ? []
      : Array.from(
          { length: Math.min(sampleCount, output.length) },
          (_, i) => output[i * stride] as number,
        );
  const report: ChildReport = {
    variant,
    seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024, // maxRSS is in KiB
    arrayBufferBytes: process.memoryUsage().arrayBuffers, // while the result (and any weights) is still alive
    sample,
  };
  process.send?.(report, () => process.exit(0));
}

function mebibytes(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

function signed(bytes: number): string {
  return `${bytes >= 0 ? '+' : ''}${mebibytes(bytes)}`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    '  ' +
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('   ');
  return [line(header), ...rows.map(line)].join('\n');
}
