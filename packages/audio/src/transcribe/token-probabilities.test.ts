import { generate } from '@attn/core-attention/runtime';
import { expectClose, fakeDecoderStepper } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { recordTokenProbabilities } from './token-probabilities.js';

describe('recordTokenProbabilities', () => {
  // a 12-token vocabulary: 0–8 text, 9 = <|endoftext|>, 10–11 special
  const endOfText = 9;

  /** Independent reference: softmax over the text ids of the fake model's logits after that prefix, in float64. */
  function expected(
    stepper: ReturnType<typeof fakeDecoderStepper>,
    prompt: number[],
    tokens: number[],
  ) {
    const probabilities: number[] = [];
    for (let t = 0; t < tokens.length && tokens[t]! < endOfText; t++) {
      const logits = stepper.logitsOf([...prompt, ...tokens.slice(0, t)], 0);
      let sum = 0;
      for (let id = 0; id < endOfText; id++) sum += Math.exp(logits[id]!);
      probabilities.push(Math.exp(logits[tokens[t]!]!) / sum);
    }
    return probabilities;
  }

  for (const numBeams of [1, 3]) {
    it(`gives each chosen text token its probability over the text tokens (numBeams ${numBeams})`, async () => {
      const stepper = fakeDecoderStepper({ vocabSize: 12, seed: 7 });
      const recorder = recordTokenProbabilities(endOfText);
      const prompt = [10, 11];
      const result = await generate(stepper, {
        prompt: [prompt],
        maxNewTokens: 8,
        numBeams,
        numReturnSequences: numBeams,
        eosTokenId: endOfText,
        suppressTokens: [10, 11],
        onStep: recorder.onStep,
      });
      let checked = 0;
      for (const sequence of result.sequences[0]!) {
        const probabilities = recorder.probabilities(sequence);
        const reference = expected(stepper, prompt, sequence.tokens);
        expect(probabilities.length).toBe(reference.length);
        expectClose(probabilities, reference, { atol: 1e-6, rtol: 1e-5 });
        checked += reference.length;
      }
      expect(checked).toBeGreaterThanOrEqual(2 * numBeams);
    });
  }
});
