// CausalLanguageModel's streaming and teacher-forced scoring on tiny-gpt2, against its own generate() and the
// PyTorch greedy ids of reference.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../testing/index.js';
import { openModelFolder } from '../model-folder/index.js';
import { SessionCache } from '../session/index.js';
import { CausalLanguageModel, type CausalGenerationEvent } from './causal-language-model.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const expected = (
  JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8')) as Record<
    string,
    { input_ids: number[]; greedy_ids: number[] }
  >
)['tiny-gpt2']!;
const sessions = new SessionCache();
afterAll(() => sessions.dispose());
const load = async () =>
  CausalLanguageModel.load(await openModelFolder(join(fixtures, 'tiny-gpt2')), {
    sessions,
    attention: { decoder_self: 'all' },
  });

async function collect(
  events: AsyncIterable<CausalGenerationEvent>,
): Promise<CausalGenerationEvent[]> {
  const collected: CausalGenerationEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

describe('CausalLanguageModel.stream', () => {
  it('streams the PyTorch greedy ids one step at a time, then the result generate() gives', async () => {
    const model = await load();
    const events = await collect(model.stream([expected.input_ids], { maxNewTokens: 10 }));
    const streamed = events.flatMap((event) => (event.kind === 'tokens' ? event.tokens : []));
    expect(streamed).toEqual(expected.greedy_ids);
    const done = events.at(-1);
    if (done?.kind !== 'done') throw new Error('the stream did not end with its result');
    const direct = await model.generate([expected.input_ids], { maxNewTokens: 10 });
    expect(done.result.sequences).toEqual(direct.sequences);
    expect(done.result.padding).toEqual([0]);
    expect(done.result.stepResults).toHaveLength(expected.greedy_ids.length);
    expect([...done.result.stepResults[0]!.result.attention.keys()]).toContain(
      'attn.decoder_self.0',
    );
  });

  it('rejects with ABORTED when the signal fires between steps', async () => {
    const model = await load();
    const controller = new AbortController();
    const consume = async (): Promise<void> => {
      for await (const event of model.stream([expected.input_ids], {
        maxNewTokens: 10,
        signal: controller.signal,
      })) {
        if (event.kind === 'tokens') controller.abort();
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('CausalLanguageModel.scoreContinuation', () => {
  it('gives each greedy token its log-probability: the sum is the greedy score', async () => {
    const model = await load();
    const greedy = (await model.generate([expected.input_ids], { maxNewTokens: 10 }))
      .sequences[0]![0]!;
    const logProbabilities = await model.scoreContinuation(expected.input_ids, greedy.tokens);
    expect(logProbabilities).toHaveLength(expected.greedy_ids.length);
    expect(logProbabilities.every((value) => value < 0)).toBe(true);
    expect(logProbabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(greedy.score, 4);
  });

  it('scores the second token after the first as a longer prompt does', async () => {
    const model = await load();
    const [, second] = await model.scoreContinuation(expected.input_ids, [10, 20]);
    const [alone] = await model.scoreContinuation([...expected.input_ids, 10], [20]);
    expect(second).toBeCloseTo(alone!, 4);
  });

  it('rejects empty lists and ids outside the vocabulary', async () => {
    const model = await load();
    await expect(model.scoreContinuation([], [1])).rejects.toThrow(
      /scoreContinuation\(\): promptIds must be a non-empty array of token ids in \[0, 297\)/,
    );
    await expect(model.scoreContinuation([1], [297])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
