// Batched beam search with Hugging Face's semantics (transformers' `_beam_search`): running scores
// are sums of log-probabilities; a hypothesis that ends is scored sum / length ** lengthPenalty
// (length = its new tokens, eos included) and each batch row keeps its numBeams best; early
// stopping as EarlyStopping describes.
import type {
  DecoderStepResult,
  DecoderStepper,
  GeneratedSequence,
  GenerationResult,
} from './decoder-stepper.js';
import {
  resolveGeneration,
  type GenerationRequest,
  type GenerationSettings,
} from './generation-settings.js';
import { logSoftmax } from './log-softmax.js';
import { processLogits } from './process-logits.js';
import { noFiniteToken, runStep } from './run-step.js';
import { topCandidates } from './top-candidates.js';

/** A running beam: its prompt plus tokens, its summed log-probability (-Infinity: an empty slot), its row trace. */
interface Beam {
  sequence: number[];
  score: number;
  rows: number[];
}

/**
 * Beam search over `request.numBeams` beams per input row, returning the
 * `request.numReturnSequences` best finished hypotheses of each row, best first.
 *
 * Per step, for each unfinished batch row: log-softmax, then the logits processors, on every live
 * beam; the best (1 + number of eos ids, at least 2) × numBeams continuations in score order;
 * those among the first numBeams that end (eos, or the last allowed token) become finished
 * hypotheses, and the best numBeams that do not end become the next beams. The stepper is told
 * where each new beam comes from through `beamRows` (row `b * numBeams + k` is beam k of input b).
 * Unlike Hugging Face, which starts the other beams at -1e9, empty beam slots score -Infinity and
 * never produce hypotheses; the two agree whenever each step has at least (1 + eos ids, ≥ 2) ×
 * numBeams finite candidates, as any real vocabulary gives.
 * A batch row that is done is fed the pad token and no longer changes, so batched results equal
 * running each row alone.
 *
 * @example
 * ```ts
 * // p(eos = 0) is 0.6 at first and 0.99 after token 1 (fakeDecoderStepper from '@attn/core-attention/testing')
 * const stepper = fakeDecoderStepper({
 *   vocabSize: 3,
 *   logits: (prefix) =>
 *     (prefix.length === 1 ? [0.6, 0.39, 0.01] : prefix.at(-1) === 1 ? [0.99, 0.005, 0.005] : [0.9, 0.05, 0.05]).map(Math.log),
 * });
 * const result = await beamSearch(stepper, {
 *   prompt: [[2]], numBeams: 2, numReturnSequences: 2, maxNewTokens: 4, eosTokenId: 0, earlyStopping: 'never',
 * });
 * result.sequences[0]?.map(({ tokens, score }) => [tokens, score]);
 * // [[[1, 0], -0.4758], [[0], -0.5108]]: (log 0.39 + log 0.99) / 2 beats log 0.6 / 1
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for bad options (numReturnSequences > numBeams, …);
 * UNSUPPORTED with doSample; ABORTED when the signal fires; RUNTIME when a row has no finite score.
 */
export async function beamSearch<Result extends DecoderStepResult>(
  stepper: DecoderStepper<Result>,
  request: GenerationRequest<Result>,
): Promise<GenerationResult> {
  const settings = resolveGeneration('beamSearch', stepper, request, 'beam');
  return searchBeams('beamSearch', stepper, settings, request);
}

/**
 * The beam search loop on resolved settings (shared by `beamSearch`, `generate` and `streamGenerate`).
 *
 * @example
 * ```ts
 * await searchBeams('generate', stepper, resolveGeneration('generate', stepper, request, 'auto'), request);
 * ```
 * @throws {AttnError} ABORTED when the signal fires; RUNTIME when a row has no finite score.
 */
export async function searchBeams<Result extends DecoderStepResult>(
  fn: string,
  stepper: DecoderStepper<Result>,
  settings: GenerationSettings,
  request: GenerationRequest<Result>,
): Promise<GenerationResult> {
  const { prompt, numBeams, maxNewTokens, padTokenId } = settings;
  const inputOf = (row: number): number => Math.floor(row / numBeams);
  let beams: Beam[] = Array.from({ length: prompt.length * numBeams }, (_, row) => ({
    sequence: [...(prompt[inputOf(row)] as number[])],
    score: row % numBeams === 0 ? 0 : Number.NEGATIVE_INFINITY,
    rows: [],
  }));
  const finished: GeneratedSequence[][] = prompt.map(() => []);
  const done = new Uint8Array(prompt.length);
  let beamRows = numBeams > 1 ? beams.map((_, row) => inputOf(row)) : undefined;
  let steps = 0;
  for (let step = 0; step < maxNewTokens && done.includes(0); step++) {
    const inputIds = beams.map(({ sequence, score }, row) => {
      if (step === 0) return [...sequence];
      const idle = done[inputOf(row)] === 1 || score === Number.NEGATIVE_INFINITY;
      return [idle ? padTokenId : (sequence.at(-1) as number)];
    });
    const { logits } = await runStep(fn, stepper, inputIds, beamRows, step, request);
    steps++;
    const nextBeams = beams.slice();
    const nextRows = beams.map((_, row) => row);
    for (let input = 0; input < prompt.length; input++) {
      if (done[input] === 1) continue;
      const firstRow = input * numBeams;
      const hypotheses = finished[input] as GeneratedSequence[];
      const { running, parentRows } = advanceRow(
        logits,
        stepper.vocabSize,
        firstRow,
        beams,
        hypotheses,
        step,
        settings,
      );
      if (running.length === 0 && hypotheses.length === 0) throw noFiniteToken(fn, firstRow, step);
      for (let slot = 0; slot < numBeams; slot++) {
        nextBeams[firstRow + slot] = running[slot] ?? {
          sequence: [],
          score: Number.NEGATIVE_INFINITY,
          rows: [],
        };
        nextRows[firstRow + slot] = parentRows[slot] ?? firstRow + slot;
      }
      const bestRunning = running[0]?.score ?? Number.NEGATIVE_INFINITY;
      if (isStopped(bestRunning, hypotheses, step + 1, settings)) done[input] = 1;
    }
    beams = nextBeams;
    beamRows = nextRows.every((parentRow, row) => parentRow === row) ? undefined : nextRows;
  }
  const sequences = finished.map((hypotheses) => hypotheses.slice(0, settings.numReturnSequences));
  return { sequences, steps };
}

/**
 * One step of one batch row (beams in rows firstRow … firstRow + numBeams - 1): log-softmax and the
 * processors on each live beam, then its best continuations in score order. Those ranked below
 * numBeams that end (eos, or the last allowed token) join `hypotheses`; the best numBeams that
 * run on are returned with the rows they continue.
 */
function advanceRow(
  logits: Float32Array,
  vocabSize: number,
  firstRow: number,
  beams: readonly Beam[],
  hypotheses: GeneratedSequence[],
  step: number,
  settings: GenerationSettings,
): { running: Beam[]; parentRows: number[] } {
  const { numBeams, eosTokenIds, lengthPenalty, maxNewTokens } = settings;
  const promptLength = (settings.prompt[0] as number[]).length;
  const beamScores: number[] = [];
  for (let beam = 0; beam < numBeams; beam++) {
    const row = firstRow + beam;
    const { sequence, score } = beams[row] as Beam;
    beamScores.push(score);
    if (score === Number.NEGATIVE_INFINITY) continue;
    const scores = logSoftmax(logits.subarray(row * vocabSize, (row + 1) * vocabSize));
    processLogits(scores, sequence, step, settings);
  }
  const candidateCount = Math.max(2, 1 + eosTokenIds.length) * numBeams;
  const running: Beam[] = [];
  const parentRows: number[] = [];
  topCandidates(logits, vocabSize, firstRow, beamScores, candidateCount).forEach(
    ({ score, beam, token }, rank) => {
      const parentRow = firstRow + beam;
      const parent = beams[parentRow] as Beam;
      const endsWithEos = eosTokenIds.includes(token);
      if (endsWithEos || step === maxNewTokens - 1) {
        // only the first numBeams ranks may finish; the rest exist to keep numBeams running
        if (rank >= numBeams) return;
        addHypothesis(hypotheses, numBeams, {
          tokens: [...parent.sequence.slice(promptLength), token],
          score: score / (step + 1) ** lengthPenalty,
          finishReason: endsWithEos ? 'eos' : 'max_length',
          rows: [...parent.rows, parentRow],
        });
      } else if (running.length < numBeams) {
        running.push({
          sequence: [...parent.sequence, token],
          score,
          rows: [...parent.rows, parentRow],
        });
        parentRows.push(parentRow);
      }
    },
  );
  return { running, parentRows };
}

/** Inserts `hypothesis` into the best-first list if it is among the `capacity` best (ties: the older stays ahead). */
function addHypothesis(
  hypotheses: GeneratedSequence[],
  capacity: number,
  hypothesis: GeneratedSequence,
): void {
  const worst = hypotheses.at(-1);
  if (hypotheses.length === capacity && worst !== undefined && !(hypothesis.score > worst.score)) {
    return;
  }
  let index = hypotheses.length;
  while (index > 0 && hypothesis.score > (hypotheses[index - 1] as GeneratedSequence).score) {
    index--;
  }
  hypotheses.splice(index, 0, hypothesis);
  if (hypotheses.length > capacity) hypotheses.pop();
}

/**
 * Whether a batch row is done after a step that left `generated` new tokens: nothing runs, or it
 * holds numBeams hypotheses and (earlyStopping true) that is enough, or its best running beam,
 * normalised at the most favourable length the rule allows, cannot beat the worst of them.
 */
function isStopped(
  bestRunning: number,
  hypotheses: readonly GeneratedSequence[],
  generated: number,
  { numBeams, earlyStopping, lengthPenalty, maxNewTokens }: GenerationSettings,
): boolean {
  if (bestRunning === Number.NEGATIVE_INFINITY) return true;
  if (hypotheses.length < numBeams) return false;
  if (earlyStopping === true) return true;
  const bestLength = earlyStopping === 'never' && lengthPenalty > 0 ? maxNewTokens : generated;
  const worstFinished = (hypotheses.at(-1) as GeneratedSequence).score;
  return !(bestRunning / bestLength ** lengthPenalty > worstFinished);
}
