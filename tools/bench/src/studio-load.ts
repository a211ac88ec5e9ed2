// `cd tools/bench && npx tsx src/studio-load.ts [--clients 32] [--seconds 20] [--translate-share 0.25]
// [--workers 1] [--queue 8]`: starts the attn studio (apps/studio, from its sources) as a child process on a free
// loopback port and drives it with concurrent clients, each sending /api/health or a small /api/translate request
// (attn/mt-en-de) back to back for the given time. Prints requests/s, p50 / p99 latency per kind, answers by
// status (429 is the server's backpressure, counted apart and not as a failure; a client waits 100 ms after one),
// and resident memory, sampled during the run: the server's, and the server's with its inference worker processes
// (they hold the models), each with its peak (VmHWM). Exits 1 on any failure.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seededRandom } from '@attn/core-attention';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '20' },
    'translate-share': { type: 'string', default: '0.25' },
    workers: { type: 'string', default: '1' },
    queue: { type: 'string', default: '8' },
  },
});
const clients = Number(values.clients);
const seconds = Number(values.seconds);
const translateShare = Number(values['translate-share']);

const sentences = [
  'A dog runs on the beach.',
  'Two men are playing soccer.',
  'A little girl climbs a tree.',
  'A woman is riding a bike in the city.',
  'People are sitting at a table outside.',
  'A boy jumps into the water.',
];

type Kind = 'health' | 'translate';

interface Answer {
  kind: Kind;
  /** HTTP status, or 0 when the request itself failed (connection refused or reset). */
  status: number;
  milliseconds: number;
}

// 1) start the studio and read the address it prints
const studioRoot = fileURLToPath(new URL('../../../apps/studio/', import.meta.url));
const server = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    'src/server/main.ts',
    '--port',
    '0',
    '--workers',
    values.workers,
    '--queue',
    values.queue,
  ],
  { cwd: studioRoot, stdio: ['ignore', 'pipe', 'pipe'] },
);
let serverLog = '';
server.stderr.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
const url = await new Promise<string>((resolve, reject) => {
  let printed = '';
  server.stdout.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
    const match = /listening on (http:\/\/\S+)/.exec(printed);
    if (match !== null) resolve(match[1]!);
  });
  server.on('exit', (code) => reject(new Error(`the studio exited (${code}):\n${serverLog}`)));
});
const pid = server.pid!;

/** A field of /proc/<id>/status in bytes (VmRSS now, VmHWM the peak), or undefined off Linux or once it ended. */
function procMemory(field: 'VmRSS' | 'VmHWM', id = pid): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${id}/status`, 'utf8'),
    );
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** The server and every process below it (its inference workers), from the parent ids in /proc/<id>/stat. */
function serverTree(): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // the field after the parenthesised command name: state, then the parent id
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we listed it
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++)
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** Sum of a memory field over the server and its workers. */
function treeMemory(field: 'VmRSS' | 'VmHWM', tree = serverTree()): number | undefined {
  const sizes = tree.map((id) => procMemory(field, id)).filter((size) => size !== undefined);
  return sizes.length === 0 ? undefined : sizes.reduce((sum, size) => sum + size, 0);
}

async function request(kind: Kind, random: () => number): Promise<Answer> {
  const started = performance.now();
  try {
    const response =
      kind === 'health'
        ? await fetch(`${url}/api/health`)
        : await fetch(`${url}/api/translate`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ text: sentences[Math.floor(random() * sentences.length)] }),
          });
    await response.arrayBuffer();
    return { kind, status: response.status, milliseconds: performance.now() - started };
  } catch {
    return { kind, status: 0, milliseconds: performance.now() - started };
  }
}

// 2) warm up: the worker starts and loads the model once, outside the measurement
const warm = await request('translate', () => 0);
if (warm.status !== 200) throw new Error(`the warm-up translation failed with ${warm.status}`);
const rssBefore = procMemory('VmRSS');
const treeBefore = treeMemory('VmRSS');

// 3) the clients, back to back until the time is up; memory sampled meanwhile
const answers: Answer[] = [];
const rssSamples: number[] = [];
const treeSamples: number[] = [];
const sampler = setInterval(() => {
  const rss = procMemory('VmRSS');
  if (rss !== undefined) rssSamples.push(rss);
  const tree = treeMemory('VmRSS');
  if (tree !== undefined) treeSamples.push(tree);
}, 250);
const started = performance.now();
const deadline = started + seconds * 1000;
await Promise.all(
  Array.from({ length: clients }, async (_, client) => {
    const random = seededRandom(client + 1);
    while (performance.now() < deadline) {
      const answer = await request(random() < translateShare ? 'translate' : 'health', random);
      answers.push(answer);
      if (answer.status === 429) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }),
);
const elapsedSeconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const peak = procMemory('VmHWM');
const tree = serverTree();
const treePeak = treeMemory('VmHWM', tree);
const health = (await (await fetch(`${url}/api/health`)).json()) as { peakRssBytes: number };

// 4) stop the studio as a user would, and check it went quietly
server.kill('SIGTERM');
const exitCode = await new Promise<number | null>((resolve) => server.on('exit', resolve));

/** Interpolated quantile q of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

const mib = (bytes: number | undefined): string =>
  bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const rows = (['health', 'translate', 'all'] as const).map((kind) => {
  const mine = answers.filter((answer) => kind === 'all' || answer.kind === kind);
  const ok = mine.filter((answer) => answer.status >= 200 && answer.status < 300);
  const sorted = ok.map((answer) => answer.milliseconds).sort((a, b) => a - b);
  return [
    kind,
    String(mine.length),
    String(ok.length),
    String(mine.filter((answer) => answer.status === 429).length),
    String(mine.length - ok.length - mine.filter((answer) => answer.status === 429).length),
    (ok.length / elapsedSeconds).toFixed(1),
    quantile(sorted, 0.5).toFixed(1),
    quantile(sorted, 0.99).toFixed(1),
  ];
});
const header = ['kind', 'requests', 'ok', '429', 'failed', 'ok/s', 'p50 ms', 'p99 ms'];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]!.length)),
);
const line = (cells: readonly string[]): string =>
  `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   ')}`;
const byStatus: Record<string, number> = {};
for (const answer of answers)
  byStatus[answer.status === 0 ? 'network error' : String(answer.status)] =
    (byStatus[answer.status === 0 ? 'network error' : String(answer.status)] ?? 0) + 1;
const failures = answers.filter(
  (answer) => answer.status !== 429 && !(answer.status >= 200 && answer.status < 300),
).length;

console.log(
  `attn studio under load: ${clients} loopback clients for ${elapsedSeconds.toFixed(1)} s; ${Math.round(translateShare * 100)} % small translations (attn/mt-en-de, ${values.workers} worker, queue ${values.queue}), the rest /api/health`,
);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(
  `  requests/s (all answers): ${(answers.length / elapsedSeconds).toFixed(1)}; by status: ${JSON.stringify(byStatus)}`,
);
console.log(
  `  429 = backpressure (queue full, answered at once with Retry-After), not a failure; failures: ${failures}`,
);
const sortedRss = [...rssSamples].sort((a, b) => a - b);
console.log(
  `  server RSS: ${mib(rssBefore)} after warm-up, median ${mib(quantile(sortedRss, 0.5))} and max ${mib(sortedRss.at(-1))} while loaded, peak ${mib(peak ?? health.peakRssBytes)} (VmHWM)`,
);
const sortedTree = [...treeSamples].sort((a, b) => a - b);
console.log(
  `  server + ${tree.length - 1} worker process${tree.length === 2 ? '' : 'es'} RSS: ${mib(treeBefore)} after warm-up, median ${mib(quantile(sortedTree, 0.5))} and max ${mib(sortedTree.at(-1))} while loaded, sum of peaks ${mib(treePeak)} (VmHWM)`,
);
console.log(`  server stopped on SIGTERM with exit code ${exitCode}`);
process.exit(failures === 0 && exitCode === 0 ? 0 : 1);
