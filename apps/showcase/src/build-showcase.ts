// Builds the showcase: runs every section on the samples and writes <out>/report.html (written whole, then
// renamed, so a failed run never leaves a half-written report).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderReport, type ReportSection } from './report.js';
import { showcaseSamples } from './samples.js';
import { attentionKernelsSection } from './sections/attention-kernels.js';
import { chatSection } from './sections/chat.js';
import { detectionSection } from './sections/detection.js';
import { questionAnsweringSection } from './sections/question-answering.js';
import { segmentationSection } from './sections/segmentation.js';
import { summarizationSection } from './sections/summarization.js';
import { transcriptionSection } from './sections/transcription.js';
import { translationSection } from './sections/translation.js';
import { shippedModels, type ShowcaseModels } from './showcase-models.js';

export interface ShowcaseOptions {
  /** Models to run instead of the shipped ones, per task. */
  models?: Partial<ShowcaseModels>;
}

/** What a run wrote, and which sections it could not run (their model is not shipped yet). */
export interface ShowcaseRun {
  path: string;
  sections: ReportSection[];
  skipped: ReportSection[];
}

/**
 * Every section of the report, in reading order: the seven tasks, then the kernels; run one after the other
 * (onnxruntime already uses every core).
 *
 * @example
 * ```ts
 * const sections = await showcaseSections();
 * sections.map((section) => section.id);
 * // ['translation', 'summarization', 'question-answering', 'chat', 'detection', 'segmentation', 'transcription', 'kernels']
 * ```
 * @throws {AttnError} a pipeline's error (MODEL_NOT_FOUND for a shipped model becomes a skipped section instead).
 */
export async function showcaseSections(options: ShowcaseOptions = {}): Promise<ReportSection[]> {
  const models = { ...shippedModels, ...options.models };
  const samples = showcaseSamples();
  return [
    await translationSection(models.translation, samples.translation),
    await summarizationSection(models.summarization, samples.summarization),
    await questionAnsweringSection(models.questionAnswering, samples.questionAnswering),
    await chatSection(models.chat, samples.chat),
    await detectionSection(models.detection, samples.scene),
    await segmentationSection(models.segmentation, samples.scene.path),
    await transcriptionSection(models.transcription, samples.speech),
    attentionKernelsSection(),
  ];
}

/**
 * Writes `<outDir>/report.html`.
 *
 * @example
 * ```ts
 * const run = await buildShowcase('out');
 * run.path; // '/…/out/report.html'
 * run.skipped.map((section) => section.skipped?.model); // e.g. ['attn/sum-captions', …] until those are trained
 * ```
 * @throws {AttnError} as {@link showcaseSections}; a file system error when `outDir` cannot be written.
 */
export async function buildShowcase(
  outDir: string,
  options: ShowcaseOptions = {},
): Promise<ShowcaseRun> {
  const folder = resolve(outDir);
  await mkdir(folder, { recursive: true });
  const sections = await showcaseSections(options);
  const path = join(folder, 'report.html');
  await writeFile(`${path}.partial`, renderReport(sections, new Date()));
  await rename(`${path}.partial`, path);
  return { path, sections, skipped: sections.filter((section) => section.skipped !== undefined) };
}
