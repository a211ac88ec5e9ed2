import { describe, expect, it } from 'vitest';
import { fakeDecoderStepper } from '../../testing/index.js';
import { resolveGeneration, type GenerationRequest } from './generation-settings.js';

const stepper = fakeDecoderStepper({ vocabSize: 10 });
const resolve = (request: GenerationRequest) =>
  resolveGeneration('generate', stepper, request, 'auto');

describe('resolveGeneration', () => {
  it("fills in Hugging Face's defaults", () => {
    const settings = resolve({ prompt: [[0, 1]], eosTokenId: 3 });
    expect(settings).toMatchObject({
      mode: 'greedy',
      maxNewTokens: 18, // max_length 20 minus the prompt
      minNewTokens: 0,
      numBeams: 1,
      lengthPenalty: 1,
      earlyStopping: false,
      temperature: 1,
      topK: 50,
      topP: 1,
      repetitionPenalty: 1,
      padTokenId: 3, // the first eos id when no pad id is given
    });
    expect(resolve({ prompt: [[0]] }).padTokenId).toBe(0);
  });

  it('prefers maxNewTokens over maxLength and combines minLength with minNewTokens', () => {
    expect(resolve({ prompt: [[0, 1, 2]], maxLength: 10, maxNewTokens: 4 }).maxNewTokens).toBe(4);
    expect(resolve({ prompt: [[0, 1, 2]], maxLength: 10 }).maxNewTokens).toBe(7);
    expect(resolve({ prompt: [[0, 1, 2]], minLength: 6, minNewTokens: 2 }).minNewTokens).toBe(3);
  });

  it('builds the prompt from decoderStartTokenId and batchSize, and drops a lone eos from badWordsIds', () => {
    expect(resolve({ decoderStartTokenId: 2, batchSize: 3 }).prompt).toEqual([[2], [2], [2]]);
    expect(
      resolve({ prompt: [[0]], eosTokenId: [4, 5], badWordsIds: [[4], [5, 6], [7]] }).badWordsIds,
    ).toEqual([[5, 6], [7]]);
  });

  const invalid: [string, GenerationRequest, string][] = [
    ['no prompt', {}, 'prompt must be given when decoderStartTokenId is absent'],
    ['empty prompt', { prompt: [] }, 'prompt must be a non-empty list of token id rows, got []'],
    ['empty row', { prompt: [[]] }, 'prompt[0] must be a non-empty row of token ids'],
    [
      'ragged rows',
      { prompt: [[1, 2], [1]] },
      'prompt[1] must be a non-empty row of token ids as long as prompt[0] (2), got [1]',
    ],
    ['id out of range', { prompt: [[10]] }, 'prompt[0][0] must be a token id in [0, 10), got 10'],
    [
      'batch size mismatch',
      { prompt: [[1]], batchSize: 2 },
      'batchSize must be the number of prompt rows (1), got 2',
    ],
    ['numBeams 0', { prompt: [[1]], numBeams: 0 }, 'numBeams must be an integer ≥ 1, got 0'],
    ['numBeams 1.5', { prompt: [[1]], numBeams: 1.5 }, 'numBeams must be an integer ≥ 1, got 1.5'],
    [
      'too many sequences',
      { prompt: [[1]], numBeams: 2, numReturnSequences: 3 },
      'numReturnSequences must be at most numBeams (2), got 3',
    ],
    [
      'greedy with sequences',
      { prompt: [[1]], numReturnSequences: 2 },
      'numReturnSequences must be 1 for greedy search',
    ],
    [
      'maxNewTokens 0',
      { prompt: [[1]], maxNewTokens: 0 },
      'maxNewTokens must be an integer ≥ 1, got 0',
    ],
    [
      'maxNewTokens 2.5',
      { prompt: [[1]], maxNewTokens: 2.5 },
      'maxNewTokens must be an integer ≥ 1, got 2.5',
    ],
    [
      'maxLength ≤ prompt',
      { prompt: [[1, 2, 3]], maxLength: 3 },
      'maxLength must be greater than the prompt length 3, got 3',
    ],
    [
      'minNewTokens -1',
      { prompt: [[1]], minNewTokens: -1 },
      'minNewTokens must be an integer ≥ 0, got -1',
    ],
    [
      'temperature 0',
      { prompt: [[1]], doSample: true, temperature: 0 },
      'temperature must be a finite number > 0 when sampling, got 0',
    ],
    ['topP 0', { prompt: [[1]], topP: 0 }, 'topP must be a number in (0, 1], got 0'],
    ['topK -1', { prompt: [[1]], topK: -1 }, 'topK must be an integer ≥ 0, got -1'],
    [
      'repetitionPenalty 0',
      { prompt: [[1]], repetitionPenalty: 0 },
      'repetitionPenalty must be a finite number > 0, got 0',
    ],
    [
      'lengthPenalty NaN',
      { prompt: [[1]], lengthPenalty: Number.NaN },
      'lengthPenalty must be a finite number, got NaN',
    ],
    [
      'earlyStopping',
      { prompt: [[1]], earlyStopping: 'always' as never },
      "earlyStopping must be true, false or 'never', got 'always'",
    ],
    [
      'eos out of range',
      { prompt: [[1]], eosTokenId: [1, 12] },
      'eosTokenId[1] must be a token id in [0, 10), got 12',
    ],
    [
      'empty bad word',
      { prompt: [[1]], badWordsIds: [[]] },
      'badWordsIds[0] must be a non-empty list of token ids, got []',
    ],
    [
      'pad out of range',
      { prompt: [[1]], padTokenId: -1 },
      'padTokenId must be a token id in [0, 10), got -1',
    ],
    ['seed', { prompt: [[1]], seed: 0.5 }, 'seed must be an integer, got 0.5'],
  ];
  it.each(invalid)('rejects %s with INVALID_ARGUMENT', (_name, request, message) => {
    expect(() => resolve(request)).toThrow(`generate(): ${message}`);
    try {
      resolve(request);
    } catch (error) {
      expect((error as { code: string }).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('rejects a stepper without a vocabulary size', () => {
    expect(() =>
      resolveGeneration(
        'generate',
        { vocabSize: 0, step: stepper.step },
        { prompt: [[0]] },
        'auto',
      ),
    ).toThrow('generate(): stepper.vocabSize must be a positive integer, got 0');
  });
});
