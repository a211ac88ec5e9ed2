// `attn summarize` as a child process on the tiny-bart fixture (random weights): the attribution's spans and shares.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInputs, fixtureModel, type CliInputs } from '../testing/cli-inputs.js';
import { runAttn, successJson } from '../testing/run-attn.js';

let inputs: CliInputs;
beforeAll(async () => {
  inputs = await cliInputs();
});
afterAll(() => inputs.remove());

describe.concurrent('attn summarize', () => {
  it('summarize --json attributes the summary to spans of the text read from --file', async () => {
    const text =
      'Two children play with a red ball in the park. A dog watches them, wagging its tail.';
    const file = join(inputs.folder, 'article.txt');
    await writeFile(file, text);
    const report = successJson<{
      results: {
        summary: string;
        sentences: {
          text: string;
          sources: { start: number; end: number; weight: number; text: string }[];
        }[];
        sourceHighlights: { start: number; end: number; weight: number; text: string }[];
      }[];
    }>(
      await runAttn(['summarize', '--file', file, '--model', fixtureModel('tiny-bart'), '--json']),
    );
    const [result] = report.results;
    expect(typeof result!.summary).toBe('string');
    // two source sentences, their shares summing to 1
    expect(result!.sourceHighlights.map((span) => span.text.trim())).toEqual([
      'Two children play with a red ball in the park.',
      'A dog watches them, wagging its tail.',
    ]);
    expect(result!.sourceHighlights.reduce((sum, span) => sum + span.weight, 0)).toBeCloseTo(1, 5);
    for (const sentence of result!.sentences)
      for (const span of sentence.sources) expect(span.text).toBe(text.slice(span.start, span.end));
  });
});
