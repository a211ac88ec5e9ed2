import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot, sharedDataPath } from '@attn/core-attention/testing';
import { loadTokenizer, openModelFolder, TextTokenizer } from '@attn/core-attention/runtime';
import { chatPrompt, validateMessages, type ChatMessage } from './chat-prompt.js';

let tiny: TextTokenizer;
beforeAll(async () => {
  tiny = await loadTokenizer(
    await openModelFolder(
      join(repositoryRoot(), 'packages/core-attention/test-fixtures/tiny-gpt2'),
    ),
  );
});
const conversation: ChatMessage[] = [
  { role: 'system', content: 'be kind' },
  { role: 'user', content: 'a man is riding' },
  { role: 'assistant', content: 'a horse' },
];

describe('chatPrompt', () => {
  it("writes DialoGPT's format with GPT-2's real vocabulary: each turn then <|endoftext|>", () => {
    const gpt2 = new TextTokenizer(
      JSON.parse(
        readFileSync(sharedDataPath('hf-reference/gpt2-tokenizer/tokenizer.json'), 'utf8'),
      ),
    );
    const messages = [
      { role: 'user', content: 'Hello world' },
      { role: 'assistant', content: 'Hello' },
    ] as const;
    const prompt = chatPrompt(gpt2, messages, 100, 50256);
    expect(prompt.ids).toEqual([15496, 995, 50256, 15496, 50256]);
    expect(prompt.turns).toEqual([0, 0, 0, 1, 1]);
    expect(prompt.warnings).toEqual([]);
  });

  it('marks every token with its turn, the separator included', () => {
    const prompt = chatPrompt(tiny, conversation, 100);
    const lengths = conversation.map(
      (message) => tiny.encode(message.content, { addSpecialTokens: false }).ids.length + 1,
    );
    expect(prompt.ids).toHaveLength(lengths[0]! + lengths[1]! + lengths[2]!);
    expect(prompt.turns).toEqual(lengths.flatMap((length, turn) => new Array(length).fill(turn)));
    const eos = tiny.specialTokenId('eos_token');
    expect(prompt.ids.filter((id) => id === eos)).toHaveLength(3);
    expect(prompt.ids.at(-1)).toBe(eos);
    expect(tiny.decode(prompt.ids)).toBe('be kinda man is ridinga horse');
  });

  it('leaves out the oldest turns that do not fit, then cuts a turn from the left', () => {
    const full = chatPrompt(tiny, conversation, 100);
    const lastTwo = full.ids.length - full.turns.filter((turn) => turn === 0).length;
    const fitted = chatPrompt(tiny, conversation, lastTwo);
    expect(fitted.ids).toEqual(full.ids.slice(-lastTwo));
    expect(fitted.omittedTurns).toBe(1);
    expect(fitted.warnings).toEqual([
      "the conversation does not fit the model's positions; its first 1 message was left out",
    ]);
    const cut = chatPrompt(tiny, conversation, 3);
    expect(cut.ids).toEqual(full.ids.slice(-3));
    expect(cut.turns).toEqual([2, 2, 2]);
    expect(cut.warnings[1]).toMatch(/^message 2 has \d+ tokens; only its last 3 fit/);
  });
});

describe('validateMessages', () => {
  const check = (messages: unknown) => () => validateMessages('chat', messages);
  it('names the index and field of the first bad message', () => {
    expect(check([])).toThrow(
      'chat(): messages must be a non-empty array of { role, content }, got [].',
    );
    expect(check('hi')).toThrow(/chat\(\): messages must be a non-empty array/);
    expect(check([{ role: 'user', content: 'hi' }, null])).toThrow(
      'chat(): messages[1] must be an object { role, content }, got null.',
    );
    expect(check([{ role: 'bot', content: 'hi' }])).toThrow(
      "chat(): messages[0].role must be 'user', 'assistant' or 'system', got 'bot'.",
    );
    expect(
      check([
        { role: 'user', content: 'hi' },
        { role: 'user', content: 3 },
      ]),
    ).toThrow('chat(): messages[1].content must be a non-empty string, got 3.');
    expect(check([{ role: 'user' }])).toThrow(/messages\[0\]\.content must be a non-empty string/);
    expect(check(conversation)).not.toThrow();
  });
});
