import { describe, expect, it } from 'vitest';
import { fakeDecoderStepper } from '../../testing/index.js';
import { beamSearch } from './beam-search.js';
import { generate } from './generate.js';
import { generationOptionsFromConfig } from './generation-options.js';
import { greedySearch } from './greedy-search.js';
import { sample } from './sample.js';

const stepper = () => fakeDecoderStepper({ vocabSize: 9, sources: [0, 1], seed: 2 });
const prompt = [[0], [0]];

describe('generate', () => {
  it('runs greedy search, sampling or beam search as the options say', async () => {
    const options = { prompt, maxNewTokens: 6, eosTokenId: 8 };
    expect(await generate(stepper(), options)).toEqual(await greedySearch(stepper(), options));
    const sampling = { ...options, doSample: true, seed: 4 };
    expect(await generate(stepper(), sampling)).toEqual(await sample(stepper(), sampling));
    const beams = { ...options, numBeams: 3, numReturnSequences: 2 };
    expect(await generate(stepper(), beams)).toEqual(await beamSearch(stepper(), beams));
  });

  it('takes a generation_config.json, starting every row from decoder_start_token_id', async () => {
    const config = {
      decoder_start_token_id: 1,
      eos_token_id: 8,
      num_beams: 2,
      max_length: 5,
      pad_token_id: 0,
    };
    const model = stepper();
    const result = await generate(model, { ...generationOptionsFromConfig(config), batchSize: 2 });
    expect(model.prefixes[0]).toEqual([[1], [1], [1], [1]]); // 2 rows × 2 beams
    expect(result.sequences).toHaveLength(2);
    // max_length 5 counts the start token
    expect(result.sequences.flat().every((sequence) => sequence.tokens.length <= 4)).toBe(true);
  });

  it('refuses beam sampling', async () => {
    await expect(
      generate(stepper(), { prompt, numBeams: 2, doSample: true }),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('generate(): sampling with numBeams > 1'),
    });
  });
});
