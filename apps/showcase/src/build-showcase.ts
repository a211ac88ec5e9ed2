// Builds the showcase: runs every section and writes <out>/report.html (written whole, then renamed,
// so a failed run never leaves a half-written report).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderReport, type ReportSection } from './report.js';
import { attentionKernelsSection } from './sections/attention-kernels.js';
import { translationSection } from './sections/translation.js';

/** Every section of the report, in reading order. */
export async function showcaseSections(): Promise<ReportSection[]> {
  return [await translationSection(), attentionKernelsSection()];
}

/**
 * Writes `<outDir>/report.html` and returns its absolute path.
 *
 * @example
 * ```ts
 * await buildShowcase('out'); // '/…/out/report.html'
 * ```
 */
export async function buildShowcase(outDir: string): Promise<string> {
  const folder = resolve(outDir);
  await mkdir(folder, { recursive: true });
  const html = renderReport(await showcaseSections(), new Date());
  const path = join(folder, 'report.html');
  await writeFile(`${path}.partial`, html);
  await rename(`${path}.partial`, path);
  return path;
}
