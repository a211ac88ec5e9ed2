// `pnpm showcase`: runs every task on the bundled samples, offline, and writes out/report.html.
import { parseArgs } from 'node:util';
import { disposeTextModels } from '@attn/nlp';
import { buildShowcase } from './build-showcase.js';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'out' } } });
try {
  const path = await buildShowcase(values.out);
  console.log(`showcase written to ${path}`);
  await disposeTextModels();
} catch (error) {
  console.error(`showcase failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
