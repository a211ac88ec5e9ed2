// The probability of every generated text token, for word confidence: softmax of the step's raw logits over the
// text tokens only (ids below <|endoftext|>), before any suppression — openai/whisper's find_alignment
// `logits[:, :eot].softmax(-1)`. Only one step's logits are kept: a token's probability is read when the next step
// shows which token each row chose (its input ids); the last step's from the logits still held at the end.
import {
  logSumExp,
  type GeneratedSequence,
  type GenerationStep,
} from '@attn/core-attention/runtime';

/** A generation's onStep handler and the probabilities it gathered. */
export interface TokenProbabilityRecorder {
  onStep(step: GenerationStep): void;
  /** Probability of each text token of `sequence` (its leading run of ids below <|endoftext|>). */
  probabilities(sequence: GeneratedSequence): Float64Array;
}

/**
 * Records token probabilities during a generation (greedy, sampling or beam search).
 *
 * @example
 * ```ts
 * const recorder = recordTokenProbabilities(endOfTextId);
 * const run = await model.generateFrom(encoded, { prompt: [prompt], onStep: recorder.onStep });
 * recorder.probabilities(run.sequences[0][0]); // Float64Array [0.91, 0.62, …], one per text token
 * ```
 */
export function recordTokenProbabilities(endOfTextId: number): TokenProbabilityRecorder {
  // chosen[t]: (row of step t) · vocab + token -> probability of that token under row's logits
  const chosen: Map<number, number>[] = [];
  let held:
    { step: number; vocab: number; logits: Float32Array; logNormalizers: Float64Array } | undefined;
  const probabilityIn = (state: NonNullable<typeof held>, row: number, token: number): number =>
    Math.exp(
      (state.logits[row * state.vocab + token] as number) - (state.logNormalizers[row] as number),
    );
  return {
    onStep(step) {
      const rows = step.inputIds.length;
      if (held !== undefined) {
        const found = new Map<number, number>();
        step.inputIds.forEach((ids, row) => {
          const token = ids[ids.length - 1] as number;
          const from = step.beamRows?.[row] ?? row;
          if (token < endOfTextId)
            found.set(from * held!.vocab + token, probabilityIn(held!, from, token));
        });
        chosen[held.step] = found;
      }
      const logits = step.result.logits.slice(); // processed in place after onStep
      const vocab = logits.length / rows;
      const logNormalizers = new Float64Array(rows);
      for (let row = 0; row < rows; row++)
        logNormalizers[row] = logSumExp(logits.subarray(row * vocab, row * vocab + endOfTextId));
      held = { step: step.step, vocab, logits, logNormalizers };
    },
    probabilities(sequence) {
      let count = 0;
      while (count < sequence.tokens.length && (sequence.tokens[count] as number) < endOfTextId)
        count++;
      const result = new Float64Array(count);
      for (let t = 0; t < count; t++) {
        const row = sequence.rows[t] as number;
        const token = sequence.tokens[t] as number;
        result[t] =
          held !== undefined && t === held.step
            ? probabilityIn(held, row, token)
            : (chosen[t]?.get(row * (held?.vocab ?? 0) + token) ?? Number.NaN);
      }
      return result;
    },
  };
}
