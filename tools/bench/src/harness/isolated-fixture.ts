// A script for isolated.test.ts: two sections measured by measureIsolated(); every task run appends
// "section variant pid" to the file named by ISOLATED_FIXTURE_LOG, and the parent prints the measurements as JSON.
import { appendFileSync } from 'node:fs';
import { measureIsolated } from './isolated.js';

const log = process.env['ISOLATED_FIXTURE_LOG'] as string;
const variant = (section: string, name: string) => ({
  name,
  task: () => appendFileSync(log, `${section} ${name} ${process.pid}\n`),
  unitsPerRun: 2,
});
const first = await measureIsolated('first', [variant('first', 'a'), variant('first', 'b')], {
  warmup: 1,
  runs: 4,
  rounds: 2,
});
const second = await measureIsolated('second', [variant('second', 'c')], { runs: 3, rounds: 3 });
console.log(JSON.stringify({ parent: process.pid, first, second }));
