// chat() and chatStream() on the tiny-gpt2 fixture (random weights): turnAttention against float64 loops over the
// returned self-attention, streaming against non-streaming, sampling seeds, truncation, abort and bad input.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '@attn/core-attention/testing';
import { loadTokenizer, openModelFolder } from '@attn/core-attention/runtime';
import {
  chat,
  chatStream,
  disposeTextModels,
  type ChatMessage,
  type ChatStreamEvent,
} from './index.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const model = join(fixtures, 'tiny-gpt2');
const messages: ChatMessage[] = [
  { role: 'user', content: 'a man is riding' },
  { role: 'assistant', content: 'a horse' },
  { role: 'user', content: 'where is he going ?' },
];
afterAll(() => disposeTextModels());

async function collect(events: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const collected: ChatStreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

describe('chat()', () => {
  it('puts the reply rows’ attention mass on the turns as float64 loops over the attention say', async () => {
    const result = await chat(messages, { model, maxNewTokens: 8 });
    // query rows: the prompt, then every reply token but the last
    expect(result.attention!.dims[2]).toBe(result.attention!.queryLabels.length);
    expect(result.attention!.queryLabels.slice(-(result.replyTokens.length - 1))).toEqual(
      result.replyTokens.slice(0, -1),
    );
    expect(result.turnAttention.map(({ turn, role }) => [turn, role])).toEqual([
      [0, 'user'],
      [1, 'assistant'],
      [2, 'user'],
    ]);
    const total = result.turnAttention.reduce((sum, turn) => sum + turn.weight, 0);
    expect(total).toBeCloseTo(1, 6);

    const tokenizer = await loadTokenizer(await openModelFolder(model));
    const lengths = messages.map(
      (message) => tokenizer.encode(message.content, { addSpecialTokens: false }).ids.length + 1,
    );
    const promptLength = lengths.reduce((sum, length) => sum + length, 0);
    const maps = result.attention!;
    const [layers, heads, queries, keys] = maps.dims;
    expect(queries).toBe(keys);
    expect(
      maps.queryLabels.slice(0, promptLength).filter((label) => label === '<|endoftext|>'),
    ).toHaveLength(3);
    const mass = [0, 0, 0];
    for (let layer = 0; layer < layers; layer++)
      for (let head = 0; head < heads; head++)
        for (let query = promptLength - 1; query < queries; query++) {
          let key = 0;
          lengths.forEach((length, turn) => {
            for (let end = key + length; key < end; key++)
              mass[turn]! += maps.data[((layer * heads + head) * queries + query) * keys + key]!;
          });
        }
    const sum = mass.reduce((a, b) => a + b, 0);
    result.turnAttention.forEach((turn, index) =>
      expect(turn.weight).toBeCloseTo(mass[index]! / sum, 5),
    );
  });

  it('streams deltas that add up to the greedy reply, then the same result', async () => {
    const direct = await chat(messages, { model, maxNewTokens: 10 });
    const events = await collect(chatStream(messages, { model, maxNewTokens: 10 }));
    const deltas = events.flatMap((event) => (event.kind === 'delta' ? [event.text] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(direct.reply);
    const done = events.at(-1);
    if (done?.kind !== 'done') throw new Error('the stream did not end with its result');
    expect(done.result.reply).toBe(direct.reply);
    expect(done.result.finishReason).toBe(direct.finishReason);
    done.result.turnAttention.forEach((turn, index) =>
      expect(turn.weight).toBeCloseTo(direct.turnAttention[index]!.weight, 6),
    );
  });

  it('repeats a sampled reply with the same seed, and streams it too', async () => {
    const options = {
      model,
      maxNewTokens: 10,
      doSample: true,
      temperature: 1.5,
      topK: 20,
      seed: 7,
    };
    const first = await chat(messages, options);
    const second = await chat(messages, options);
    expect(second.reply).toBe(first.reply);
    const events = await collect(chatStream(messages, options));
    expect(events.flatMap((event) => (event.kind === 'delta' ? [event.text] : [])).join('')).toBe(
      first.reply,
    );
  });

  it('leaves out old turns that do not fit the positions; they get no attention', async () => {
    const long: ChatMessage[] = Array.from({ length: 12 }, (_, index) => ({
      role: index % 2 === 0 ? 'user' : 'assistant',
      content: 'two children play with a red ball in the park',
    }));
    const result = await chat(long, { model, maxNewTokens: 8 });
    expect(result.warnings[0]).toMatch(/its first \d+ messages were left out/);
    const omitted = Number(/first (\d+) messages/.exec(result.warnings[0]!)?.[1]);
    expect(result.turnAttention.slice(0, omitted).every((turn) => turn.weight === 0)).toBe(true);
    expect(result.turnAttention.reduce((sum, turn) => sum + turn.weight, 0)).toBeCloseTo(1, 6);
    expect(result.attention!.dims[3]).toBeLessThanOrEqual(128);
  });

  it('runs untapped without attention, with the same greedy reply', async () => {
    const tapped = await chat(messages, { model, maxNewTokens: 6 });
    const untapped = await chat(messages, { model, maxNewTokens: 6, attention: false });
    expect(untapped.reply).toBe(tapped.reply);
    expect(untapped.replyTokens).toEqual(tapped.replyTokens);
    expect(untapped.attention).toBeUndefined();
    expect(untapped.turnAttention).toEqual([]);
    const full = await chat(messages, {
      model,
      minNewTokens: 12,
      maxNewTokens: 12,
      attention: false,
    });
    expect(full.replyTokens).toHaveLength(12);
    expect(full.finishReason).toBe('max_length');
  });

  it('stops when aborted or when the consumer leaves the stream', async () => {
    const controller = new AbortController();
    const consume = async (): Promise<void> => {
      for await (const event of chatStream(messages, {
        model,
        maxNewTokens: 10,
        signal: controller.signal,
      })) {
        if (event.kind === 'delta') controller.abort();
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'ABORTED' });
    let seen = 0;
    for await (const event of chatStream(messages, { model, maxNewTokens: 10 })) {
      if (event.kind === 'delta' && ++seen === 2) break;
    }
    expect(seen).toBe(2);
  });

  it('rejects messages in the wrong shape before loading, and models that do not chat', async () => {
    await expect(chat([{ role: 'user', content: '' }])).rejects.toThrow(
      "chat(): messages[0].content must be a non-empty string, got ''.",
    );
    await expect(
      chat([{ role: 'robot', content: 'hi' }] as unknown as ChatMessage[]),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(collect(chatStream('hi' as unknown as ChatMessage[]))).rejects.toThrow(
      "chatStream(): messages must be a non-empty array of { role, content }, got 'hi'.",
    );
    await expect(chat(messages, { maxNewTokens: 0 })).rejects.toThrow(
      'chat(): options.maxNewTokens must be a positive integer, got 0.',
    );
    await expect(chat(messages, { model: join(fixtures, 'tiny-bart') })).rejects.toThrow(
      /chat\(\): .*tiny-bart is a 'bart' model; chat runs gpt2, .* models/,
    );
  });
});
