import { describe, expect, it } from 'vitest';
import { fakeDecoderStepper } from '../../testing/index.js';
import { beamSearch } from './beam-search.js';
import type { GenerationEvent } from './decoder-stepper.js';
import type { GenerationRequest } from './generation-settings.js';
import { greedySearch } from './greedy-search.js';
import { sample } from './sample.js';
import { streamGenerate } from './stream-generate.js';

const sources = [0, 1, 2];
const stepper = () => fakeDecoderStepper({ vocabSize: 8, sources, seed: 10, scale: 1.5 });
const base: GenerationRequest = { prompt: sources.map(() => [0]), maxNewTokens: 9, eosTokenId: 7 };

async function collect(events: AsyncIterable<GenerationEvent>): Promise<GenerationEvent[]> {
  const collected: GenerationEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

/** The per-row token lists the 'tokens' events spell out. */
function streamedTokens(events: GenerationEvent[], rows: number): number[][] {
  const tokens = Array.from({ length: rows }, (): number[] => []);
  for (const event of events) {
    if (event.kind === 'tokens')
      event.tokens.forEach((token, row) => token !== null && tokens[row]?.push(token));
  }
  return tokens;
}

describe('streamGenerate', () => {
  it('streams exactly the tokens greedy search returns, then the same result', async () => {
    const expected = await greedySearch(stepper(), base);
    const events = await collect(streamGenerate(stepper(), base));
    expect(streamedTokens(events, 3)).toEqual(expected.sequences.map((row) => row[0]?.tokens));
    expect(
      events
        .filter((event) => event.kind === 'tokens')
        .map((event) => event.kind === 'tokens' && event.step),
    ).toEqual(Array.from({ length: expected.steps }, (_, step) => step));
    expect(events.at(-1)).toEqual({ kind: 'done', result: expected });
    // a row that finished shows null afterwards
    const shortest = Math.min(...expected.sequences.map((row) => row[0]?.tokens.length ?? 0));
    expect(shortest).toBeLessThan(expected.steps);
  });

  it('streams the same draws as sample with the same seed', async () => {
    const request = { ...base, doSample: true, seed: 21, numReturnSequences: 2 };
    const expected = await sample(stepper(), request);
    const events = await collect(streamGenerate(stepper(), request));
    expect(streamedTokens(events, 6)).toEqual(
      expected.sequences.flat().map((sequence) => sequence.tokens),
    );
    expect(events.at(-1)).toEqual({ kind: 'done', result: expected });
  });

  it('yields only the final result for beam search', async () => {
    const request = { ...base, numBeams: 3, numReturnSequences: 2 };
    const events = await collect(streamGenerate(stepper(), request));
    expect(events).toEqual([{ kind: 'done', result: await beamSearch(stepper(), request) }]);
  });

  it('stops calling the stepper when the consumer leaves the loop', async () => {
    const model = stepper();
    let seen = 0;
    for await (const event of streamGenerate(model, base)) {
      if (event.kind === 'tokens' && ++seen === 2) break;
    }
    expect(model.prefixes).toHaveLength(2);
  });

  it('rejects with ABORTED when the signal fires mid-stream', async () => {
    const controller = new AbortController();
    const model = stepper();
    const consume = async (): Promise<void> => {
      for await (const event of streamGenerate(model, { ...base, signal: controller.signal })) {
        if (event.kind === 'tokens' && event.step === 1) controller.abort();
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'ABORTED' });
    expect(model.prefixes).toHaveLength(2);
  });
});
