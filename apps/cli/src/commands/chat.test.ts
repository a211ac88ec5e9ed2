// `attn chat` as a child process on the tiny-gpt2 fixture (random weights): turns from arguments, the interactive
// loop over piped lines, and a malformed conversation file.
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

describe.concurrent('attn chat', () => {
  it('chat --json: arguments are turns alternating to the user, and their attention shares sum to 1', async () => {
    const turns = ['a man is riding', 'a horse', 'where is he going ?'];
    const report = successJson<{
      results: {
        messages: { role: string }[];
        reply: string;
        turnAttention: { turn: number; role: string; weight: number; content: string }[];
      }[];
    }>(
      await runAttn([
        'chat',
        ...turns,
        '--model',
        fixtureModel('tiny-gpt2'),
        '--max-tokens',
        '6',
        '--json',
      ]),
    );
    const [result] = report.results;
    expect(result!.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(result!.turnAttention.map(({ role, content }) => [role, content])).toEqual([
      ['user', turns[0]],
      ['assistant', turns[1]],
      ['user', turns[2]],
    ]);
    expect(result!.turnAttention.reduce((sum, turn) => sum + turn.weight, 0)).toBeCloseTo(1, 5);
  });

  it('chat --interactive replies to each line of stdin, one JSON line per reply, keeping the history', async () => {
    const { code, stdout, stderr } = await runAttn(
      [
        'chat',
        '--interactive',
        '--model',
        fixtureModel('tiny-gpt2'),
        '--max-tokens',
        '4',
        '--json',
      ],
      { input: 'hello there\n\nhow are you ?\n' },
    );
    expect([code, stderr]).toEqual([0, '']);
    const replies = stdout
      .trimEnd()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { results: { messages: { role: string; content: string }[] }[] },
      );
    expect(
      replies.map((reply) => reply.results[0]!.messages.map((message) => message.role)),
    ).toEqual([['user'], ['user', 'assistant', 'user']]);
    expect(replies[1]!.results[0]!.messages[2]!.content).toBe('how are you ?');
  });

  it('chat --file with a malformed conversation exits 2 naming the message and field', async () => {
    const file = join(inputs.folder, 'conversation.json');
    await writeFile(
      file,
      JSON.stringify([
        { role: 'user', content: 'Hi' },
        { role: 'bot', content: 'Hello' },
      ]),
    );
    const { code, stderr } = await runAttn([
      'chat',
      '--file',
      file,
      '--model',
      fixtureModel('tiny-gpt2'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain("messages[1].role must be 'user', 'assistant' or 'system', got 'bot'");
  });
});
