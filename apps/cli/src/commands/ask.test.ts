// `attn ask` as a child process on the tiny-bert fixture (random weights): the answer and evidence as slices of
// the context read from stdin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInputs, fixtureModel, type CliInputs } from '../testing/cli-inputs.js';
import { runAttn, successJson } from '../testing/run-attn.js';

let inputs: CliInputs;
beforeAll(async () => {
  inputs = await cliInputs();
});
afterAll(() => inputs.remove());

describe.concurrent('attn ask', () => {
  it('ask --json takes the context from stdin; the answer and evidence are slices of it', async () => {
    const context =
      'A brown dog catches a frisbee in the air while two children watch from the grass.';
    const report = successJson<{
      results: {
        question: string;
        answer: string;
        start: number;
        end: number;
        noAnswer: boolean;
        evidence: {
          start: { start: number; end: number; text: string }[];
          end: { start: number; end: number; text: string }[];
        };
      }[];
    }>(
      await runAttn(
        [
          'ask',
          'What',
          'does',
          'the',
          'dog',
          'catch?',
          '--model',
          fixtureModel('tiny-bert'),
          '--json',
        ],
        { input: context },
      ),
    );
    const [result] = report.results;
    expect(result!.question).toBe('What does the dog catch?');
    expect(result!.answer).toBe(context.slice(result!.start, result!.end));
    expect(typeof result!.noAnswer).toBe('boolean');
    const evidence = [...result!.evidence.start, ...result!.evidence.end];
    expect(evidence.length).toBeGreaterThan(0);
    for (const span of evidence) expect(span.text).toBe(context.slice(span.start, span.end));
  });
});
