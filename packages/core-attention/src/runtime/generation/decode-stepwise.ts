// The token-by-token loop shared by greedy search and sampling (Hugging Face's `_sample`): one
// stepper call per step, one new token per unfinished row. Finished rows leave the batch: the next
// call's `beamRows` keeps only the unfinished rows, so the decoder stops computing for them.
import type {
  DecoderStepResult,
  DecoderStepper,
  GeneratedSequence,
  GenerationEvent,
  GenerationResult,
} from './decoder-stepper.js';
import type { GenerationRequest, GenerationSettings } from './generation-settings.js';
import { logSoftmax, mostLikely } from './log-softmax.js';
import { processLogits, warpLogits } from './process-logits.js';
import { sampleIndex } from './random.js';
import { noFiniteToken, runStep } from './run-step.js';

type TokensEvent = Extract<GenerationEvent, { kind: 'tokens' }>;

/**
 * Decodes greedily (`settings.mode` 'greedy') or by sampling ('sample'), yielding each step's
 * tokens and returning the sequences. With numReturnSequences n, each input row becomes n decoder
 * rows (the first stepper call gets `beamRows` [0, 0, …, 1, 1, …] to expand its batch).
 *
 * @example
 * ```ts
 * const settings = resolveGeneration('greedySearch', stepper, { prompt: [[0]], maxNewTokens: 3 }, 'greedy');
 * const result = await drainDecoding(decodeStepwise('greedySearch', stepper, settings, {}));
 * result.sequences[0]?.[0]?.tokens; // three token ids, or fewer ending in eos
 * ```
 * @throws {AttnError} ABORTED when the request's signal fires; RUNTIME when a row has no finite score.
 */
export async function* decodeStepwise<Result extends DecoderStepResult>(
  fn: string,
  stepper: DecoderStepper<Result>,
  settings: GenerationSettings,
  request: GenerationRequest<Result>,
): AsyncGenerator<TokensEvent, GenerationResult> {
  const { prompt, numReturnSequences: draws, eosTokenIds } = settings;
  const vocabSize = stepper.vocabSize;
  const rowCount = prompt.length * draws;
  const sequences = Array.from({ length: rowCount }, (_, row) => [
    ...(prompt[Math.floor(row / draws)] as number[]),
  ]);
  const outputs = sequences.map((): GeneratedSequence => ({
    tokens: [],
    score: 0,
    finishReason: 'max_length',
    rows: [],
  }));
  const expansion = draws > 1 ? sequences.map((_, row) => Math.floor(row / draws)) : undefined;
  // batch[position] = the decoder row at that position of the last stepper call's batch
  let batch = sequences.map((_, row) => row);
  let beamRows = expansion;
  let steps = 0;
  for (let step = 0; step < settings.maxNewTokens && batch.length > 0; step++) {
    const inputIds = batch.map((row) => {
      const sequence = sequences[row] as number[];
      return step === 0 ? [...sequence] : [sequence.at(-1) as number];
    });
    const { logits } = await runStep(fn, stepper, inputIds, beamRows, step, request);
    steps++;
    const tokens: (number | null)[] = new Array<number | null>(rowCount).fill(null);
    const continuing: number[] = [];
    for (let position = 0; position < batch.length; position++) {
      const row = batch[position] as number;
      const sequence = sequences[row] as number[];
      const scores = processLogits(
        logits.subarray(position * vocabSize, (position + 1) * vocabSize),
        sequence,
        step,
        settings,
      );
      let token: number;
      let logProbability: number | undefined;
      if (settings.mode === 'sample') {
        warpLogits(scores, settings);
        logSoftmax(scores);
        token = sampleIndex(scores, settings.random);
        logProbability = scores[token];
      } else {
        // the most likely token and its log-probability, without writing the row's log-probabilities
        ({ index: token, logProbability } = mostLikely(scores));
      }
      if (logProbability === undefined || !(logProbability > Number.NEGATIVE_INFINITY)) {
        throw noFiniteToken(fn, row, step);
      }
      const output = outputs[row] as GeneratedSequence;
      output.tokens.push(token);
      output.rows.push(position);
      output.score += logProbability;
      sequence.push(token);
      tokens[row] = token;
      if (eosTokenIds.includes(token)) output.finishReason = 'eos';
      else continuing.push(position);
    }
    // the next call continues the unfinished positions only (the identity when none finished)
    beamRows = continuing.length === batch.length ? undefined : continuing;
    batch = continuing.map((position) => batch[position] as number);
    yield { kind: 'tokens', step, tokens };
  }
  const grouped = prompt.map((_, input) => outputs.slice(input * draws, (input + 1) * draws));
  return { sequences: grouped, steps };
}

/**
 * Runs a decoding generator to its end and returns its result.
 *
 * @example
 * ```ts
 * const result = await drainDecoding(decodeStepwise('sample', stepper, settings, {}));
 * ```
 */
export async function drainDecoding(
  generator: AsyncGenerator<unknown, GenerationResult>,
): Promise<GenerationResult> {
  let next = await generator.next();
  while (next.done !== true) next = await generator.next();
  return next.value;
}
