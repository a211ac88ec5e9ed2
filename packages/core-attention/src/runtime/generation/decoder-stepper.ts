// The step interface every decoding algorithm runs on, and what the algorithms return.
// A stepper is one decoder call with its KV cache; the ONNX-backed steppers implement it.

/** What one decoder call returns. A stepper may return more (tapped attention, say): see {@link DecoderStepper}. */
export interface DecoderStepResult {
  /** Next-token logits [rows, vocab] for the last position of each row. Processed in place after `onStep`. */
  logits: Float32Array;
}

/**
 * One decoder with its cache, advanced one call at a time.
 *
 * Rows and `beamRows`: the first call gets the prompt of every decoder row; later calls get one new
 * token per row. Before a call, row r of the new batch continues the state (KV cache, encoder
 * output, attention mask) of row `beamRows[r]` of the previous call. On the first call the
 * "previous rows" are the stepper's input rows (the encoder batch), so `beamRows` there expands
 * the batch: beam search with 3 beams over 2 inputs sends `[0, 0, 0, 1, 1, 1]`, as Hugging Face's
 * `_expand_inputs_for_generation` does. `beamRows` is omitted when it is the identity.
 *
 * Gathering attention: a stepper may return a subtype of {@link DecoderStepResult} (for example
 * with the cross-attention of the new positions, one slice per row). The algorithms hand every
 * result to `onStep` unchanged, and every {@link GeneratedSequence} says in `rows[t]` which row of
 * step t's result produced its token t. Keeping the step results from `onStep` and reading row
 * `rows[t]` of step t gives each returned hypothesis its own attention, however beam search
 * reordered the rows in between; step 0's result also covers the prompt positions.
 *
 * @example
 * ```ts
 * const stepper: DecoderStepper = {
 *   vocabSize: 3,
 *   // a "model" that always prefers token 2
 *   async step(inputIds) {
 *     return { logits: new Float32Array(inputIds.flatMap(() => [0, 0, 1])) };
 *   },
 * };
 * (await greedySearch(stepper, { prompt: [[0]], maxNewTokens: 2 })).sequences[0]?.[0]?.tokens; // [2, 2]
 * ```
 */
export interface DecoderStepper<Result extends DecoderStepResult = DecoderStepResult> {
  /** Logits per row have this many entries. */
  readonly vocabSize: number;
  /**
   * Runs the decoder on the new tokens of every row (the same count per row).
   * @param beamRows - row r continues the state of row `beamRows[r]` (omitted: the identity).
   */
  step(inputIds: number[][], beamRows?: number[]): Promise<Result>;
}

/** Why a sequence ended: it produced an end-of-sequence token, or it ran out of new tokens. */
export type FinishReason = 'eos' | 'max_length';

/** One generated sequence. */
export interface GeneratedSequence {
  /** The new token ids, without the prompt; ends with the eos token when `finishReason` is 'eos'. */
  tokens: number[];
  /**
   * Greedy and sampling: the sum of the chosen tokens' log-probabilities (after logits processing,
   * and for sampling after temperature, top-k and top-p). Beam search: that sum divided by
   * `tokens.length ** lengthPenalty`, Hugging Face's `sequences_scores`.
   */
  score: number;
  finishReason: FinishReason;
  /** rows[t]: the row of step t's stepper result whose logits chose tokens[t]. */
  rows: number[];
}

/** What greedy search, sampling and beam search return. */
export interface GenerationResult {
  /** [input row][rank]: one sequence per row for greedy, `numReturnSequences` otherwise. */
  sequences: GeneratedSequence[][];
  /** How many times the stepper was called. */
  steps: number;
}

/** Passed to `onStep` after every stepper call, before the logits are processed. */
export interface GenerationStep<Result extends DecoderStepResult = DecoderStepResult> {
  /** 0 for the call on the prompt. */
  step: number;
  inputIds: readonly (readonly number[])[];
  beamRows: readonly number[] | undefined;
  /** The stepper's result as it returned it; copy `logits` here if you need them unprocessed. */
  result: Result;
}

/**
 * What `streamGenerate` yields: the new token of every decoder row after each step (null for a row
 * that finished earlier; with sampling and numReturnSequences n, row r is draw r % n of input row
 * ⌊r / n⌋), then the full result.
 */
export type GenerationEvent =
  | { kind: 'tokens'; step: number; tokens: (number | null)[] }
  | { kind: 'done'; result: GenerationResult };
