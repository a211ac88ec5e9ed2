import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '@attn/core-attention/testing';
import { loadTokenizer, openModelFolder, type TextTokenizer } from '@attn/core-attention/runtime';
import { questionContextWindows } from './question-context-windows.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const reference = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8'))[
  'tiny-bert'
] as {
  question: string;
  context: string;
  input_ids: number[];
  token_type_ids: number[];
};
let bert: TextTokenizer;
let bart: TextTokenizer;
beforeAll(async () => {
  bert = await loadTokenizer(await openModelFolder(join(fixtures, 'tiny-bert')));
  bart = await loadTokenizer(await openModelFolder(join(fixtures, 'tiny-bart')));
});
const bertLayout = { doubleSeparator: false, segmentIds: true } as const;

describe('questionContextWindows', () => {
  it("reproduces the PyTorch reference's input_ids and token_type_ids", () => {
    const { windows, warnings } = questionContextWindows(bert, reference, {
      maxLength: 128,
      ...bertLayout,
    });
    expect(warnings).toEqual([]);
    expect(windows).toHaveLength(1);
    expect(windows[0]!.inputIds).toEqual(reference.input_ids);
    expect(windows[0]!.tokenTypeIds).toEqual(reference.token_type_ids);
    // context tokens map back onto the context (the tokenizer lowercases)
    windows[0]!.contextOffsets.forEach((offsets, index) => {
      if (offsets === null) return;
      expect(reference.context.slice(offsets[0], offsets[1]).toLowerCase()).toBe(
        windows[0]!.tokens[index]!.replace(/^##/, ''),
      );
    });
  });

  it('covers a long context with windows that overlap by exactly the stride', () => {
    const context = Array.from({ length: 4 }, () => reference.context).join(' ');
    const all = bert.encode(context, { addSpecialTokens: false }).ids;
    const { windows } = questionContextWindows(
      bert,
      { question: reference.question, context },
      { maxLength: 20, stride: 3, ...bertLayout },
    );
    const question = bert.encode(reference.question, { addSpecialTokens: false }).ids;
    const budget = 20 - question.length - 3;
    expect(windows.length).toBe(Math.ceil((all.length - 3) / (budget - 3)));
    let covered: number[] = [];
    windows.forEach((window, w) => {
      expect(window.inputIds.length).toBeLessThanOrEqual(20);
      expect(window.inputIds.slice(0, question.length + 2)).toEqual([2, ...question, 3]);
      expect(window.inputIds.at(-1)).toBe(3);
      const contextIds = window.inputIds.slice(question.length + 2, -1);
      if (w > 0) expect(contextIds.slice(0, 3)).toEqual(covered.slice(-3));
      covered = w === 0 ? contextIds : [...covered, ...contextIds.slice(3)];
    });
    expect(covered).toEqual(all);
  });

  it("builds RoBERTa's <s> q </s></s> c </s> without segments", () => {
    const { windows } = questionContextWindows(
      bart,
      { question: 'who ?', context: 'a dog' },
      { maxLength: 64, doubleSeparator: true, segmentIds: false },
    );
    const window = windows[0]!;
    expect(window.tokens[0]).toBe('<s>');
    expect(window.tokens.filter((token) => token === '</s>')).toHaveLength(3);
    expect(window.tokens.slice(-3)).toEqual(['Ġdo', 'g', '</s>']);
    expect(window.tokenTypeIds.every((id) => id === 0)).toBe(true);
    expect(window.contextOffsets.filter((offsets) => offsets !== null)).toEqual([
      [0, 1],
      [2, 4],
      [4, 5],
    ]);
  });

  it('cuts a long question and a stride that does not fit, with warnings', () => {
    const { windows, warnings } = questionContextWindows(
      bert,
      { question: 'the dog the dog the dog the dog the dog', context: reference.context },
      { maxLength: 12, stride: 50, ...bertLayout },
    );
    expect(warnings).toEqual([
      'the question has 10 tokens; only its first 6 were read (a question may fill half of the 12-token window)',
      'stride 50 does not fit the 3 context tokens of a window; 1 was used',
    ]);
    expect(windows.every((window) => window.inputIds.length <= 12)).toBe(true);
  });

  it('rejects a window with no room for context and a negative stride', () => {
    expect(() => questionContextWindows(bert, reference, { maxLength: 4, ...bertLayout })).toThrow(
      /questionContextWindows\(\): maxLength must be an integer ≥ 5/,
    );
    expect(() =>
      questionContextWindows(bert, reference, { maxLength: 64, stride: -1, ...bertLayout }),
    ).toThrow(/stride must be a non-negative integer, got -1/);
  });
});
