// `pnpm showcase`: runs every task on the bundled samples, offline, and writes out/report.html. A task whose
// shipped model is not trained yet is reported (in the page and here) and does not fail the run.
import { parseArgs } from 'node:util';
import { disposeSpeechModels } from '@attn/audio';
import { disposeTextModels } from '@attn/nlp';
import { disposeVisionModels } from '@attn/vision';
import { buildShowcase } from './build-showcase.js';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'out' } } });
try {
  const { path, sections, skipped } = await buildShowcase(values.out);
  console.log(
    `showcase written to ${path}: ${sections.length - skipped.length} of ${sections.length} sections ran`,
  );
  for (const section of skipped)
    console.log(
      `  skipped ${section.id}: model ${section.skipped?.model} is not shipped yet — train it with ${section.skipped?.command}`,
    );
} catch (error) {
  console.error(`showcase failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await Promise.all([disposeTextModels(), disposeVisionModels(), disposeSpeechModels()]);
}
