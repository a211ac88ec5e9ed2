// `attn translate` as a child process: --json against translate() itself on attn/mt-en-de, stdin line by line
// with the aligned words printed, and --out SVGs per line on the tiny-marian fixture.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { disposeTextModels, translate } from '@attn/nlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInputs, fixtureModel, type CliInputs } from '../testing/cli-inputs.js';
import { runAttn, successJson } from '../testing/run-attn.js';

afterAll(() => disposeTextModels());
let inputs: CliInputs;
beforeAll(async () => {
  inputs = await cliInputs();
});
afterAll(() => inputs.remove());

describe.concurrent('attn translate', () => {
  it('translate --json with attn/mt-en-de returns what translate() returns, alignment words included', async () => {
    const sentence = 'A dog runs on the beach.';
    const report = successJson<{
      command: string;
      model: string;
      files: string[];
      results: {
        input: string;
        translation: string;
        sourceWords: string[];
        targetWords: string[];
        alignment: {
          source: number;
          target: number;
          weight: number;
          sourceWord: string;
          targetWord: string;
        }[];
        attention?: unknown;
      }[];
    }>(await runAttn(['translate', ...sentence.split(' '), '--json'], { env: inputs.env }));
    const expected = await translate(sentence);
    expect(report).toMatchObject({ command: 'translate', model: 'attn/mt-en-de', files: [] });
    const [result] = report.results;
    expect(result).toMatchObject({
      input: sentence,
      translation: expected.text,
      targetWords: expected.targetWords,
    });
    expect(result!.attention).toBeUndefined();
    expect(result!.alignment.length).toBeGreaterThan(0);
    result!.alignment.forEach((link, index) => {
      expect(link).toMatchObject(expected.alignment[index]!);
      expect([link.sourceWord, link.targetWord]).toEqual([
        expected.sourceWords[link.source],
        expected.targetWords[link.target],
      ]);
    });
  });

  it('translate reads stdin line by line and prints each translation with its aligned words, no colour in a pipe', async () => {
    const { code, stdout, stderr } = await runAttn(['translate'], {
      input: 'A dog runs.\n\nTwo men play soccer.\n',
      env: inputs.env,
    });
    expect([code, stderr]).toEqual([0, '']);
    const expected = await translate(['A dog runs.', 'Two men play soccer.']);
    expect(stdout).not.toContain('\x1b');
    const blocks = stdout.trimEnd().split('\n\n');
    expect(blocks).toHaveLength(2);
    blocks.forEach((block, index) => {
      const [source, translation, ...aligned] = block.split('\n');
      expect([source, translation]).toEqual([
        ['A dog runs.', 'Two men play soccer.'][index],
        expected[index]!.text,
      ]);
      expect(aligned).toHaveLength(expected[index]!.targetWords.length);
      aligned.forEach((line, target) =>
        expect(line.trimStart().startsWith(expected[index]!.targetWords[target]!)).toBe(true),
      );
    });
  });

  it('translate --out writes one SVG per line, atomically, and says so on stderr', async () => {
    const out = join(inputs.folder, 'svg', 'alignment.svg');
    const { code, stderr } = await runAttn(
      ['translate', '--model', fixtureModel('tiny-marian'), '--out', out, '--file', '-'],
      {
        input: 'a b c\nd e\n',
      },
    );
    expect(code).toBe(0);
    expect(stderr).toBe(
      `wrote ${join(inputs.folder, 'svg', 'alignment-1.svg')}\nwrote ${join(inputs.folder, 'svg', 'alignment-2.svg')}\n`,
    );
    expect((await readdir(join(inputs.folder, 'svg'))).sort()).toEqual([
      'alignment-1.svg',
      'alignment-2.svg',
    ]);
    const svg = await readFile(join(inputs.folder, 'svg', 'alignment-1.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
  });
});
