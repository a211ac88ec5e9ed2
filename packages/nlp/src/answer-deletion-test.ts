// The deletion test of answer()'s evidence (core deletionTest): delete the k context tokens the answer's start
// and end attended to most, or k random ones, and see how much the probability of the original answer span drops.
import {
  deletionTest,
  describeValue,
  invalidArgument,
  type DeletionTestResult,
} from '@attn/core-attention';
import { spanProbability } from './answer-span.js';
import { runAnswer, runWindow, type Answer, type AnswerOptions } from './answer.js';

export interface AnswerDeletionOptions extends AnswerOptions {
  /** Context tokens to delete. */
  k: number;
  /** Random deletions to compare with. Default 20. */
  trials?: number;
  /** Seed of the random draws. Default 0. */
  seed?: number;
  /**
   * 'mask' replaces deleted tokens by the tokenizer's mask token ([MASK], <mask>), so every position stays;
   * 'remove' drops them from the window. Default 'mask' when the tokenizer has a mask token, else 'remove'.
   */
  deletion?: 'mask' | 'remove';
}

/** The test's numbers (drops in the answer span's probability), with the answer they are about. */
export interface AnswerDeletionResult extends DeletionTestResult {
  answer: Answer;
  /** Context tokens that could be deleted (the window's context tokens outside the answer span). */
  eligibleTokens: number;
  deletion: 'mask' | 'remove';
}

/**
 * Runs answer() with attention, then {@link deletionTest} over the context tokens of the answer's window, leaving
 * the answer's own tokens in place. A token's score is the attention the answer's start and end tokens paid it
 * (the `evidenceFrom` source, the two rows averaged); the confidence is p_start · p_end of the original span in
 * the re-run window. Undefined when the context has no answer span or fewer than k eligible tokens.
 *
 * @example
 * ```ts
 * const result = await answerDeletionTest({ question, context }, { k: 3, trials: 20 });
 * result?.topDrop; // e.g. 0.31: deleting the 3 most attended tokens lowered the span's probability by 0.31
 * result?.randomMean; // e.g. 0.08 for 3 random tokens
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for bad options (as answer(), plus k, trials, deletion); the errors of answer().
 */
export async function answerDeletionTest(
  pair: { question: string; context: string },
  options: AnswerDeletionOptions,
): Promise<AnswerDeletionResult | undefined> {
  const fn = 'answerDeletionTest';
  if (!(Number.isInteger(options?.k) && options.k >= 1)) {
    throw invalidArgument(fn, 'options.k', 'a positive integer', describeValue(options?.k));
  }
  if (
    options.deletion !== undefined &&
    options.deletion !== 'mask' &&
    options.deletion !== 'remove'
  ) {
    throw invalidArgument(
      fn,
      'options.deletion',
      "'mask' or 'remove'",
      describeValue(options.deletion),
    );
  }
  const run = await runAnswer(fn, pair, { ...options, attention: true });
  const { window, span, model, tokenizer, tokenScores } = run;
  if (window === undefined || span === undefined) return undefined;
  const isContext = window.contextOffsets.map((offsets) => offsets !== null);
  const answerIds = new Set(window.inputIds.slice(span.startToken, span.endToken + 1));
  const eligible = isContext.map(
    (context, index) =>
      context &&
      (index < span.startToken || index > span.endToken) &&
      !answerIds.has(window.inputIds[index] as number),
  );
  const eligibleTokens = eligible.filter(Boolean).length;
  if (eligibleTokens < options.k) return undefined;
  const mask = tokenizer.specialTokenId('mask_token');
  const deletion = options.deletion ?? (mask === undefined ? 'remove' : 'mask');
  if (deletion === 'mask' && mask === undefined) {
    throw invalidArgument(
      fn,
      'options.deletion',
      "'remove' (the tokenizer has no mask token)",
      "'mask'",
    );
  }
  const confidence = async (keep: boolean[]): Promise<number> => {
    if (deletion === 'mask') {
      const inputIds = window.inputIds.map((id, index) => (keep[index] ? id : (mask as number)));
      const { startLogits, endLogits } = await runWindow(fn, model, { ...window, inputIds });
      return spanProbability(
        startLogits,
        endLogits,
        isContext,
        window.clsIndex,
        span.startToken,
        span.endToken,
      );
    }
    // removal shifts later positions: the span and [CLS] move to their index among the kept tokens
    const kept = window.inputIds.map((_, index) => index).filter((index) => keep[index]);
    const { startLogits, endLogits } = await runWindow(fn, model, {
      inputIds: kept.map((index) => window.inputIds[index] as number),
      tokenTypeIds: kept.map((index) => window.tokenTypeIds[index] as number),
    });
    return spanProbability(
      startLogits,
      endLogits,
      kept.map((index) => isContext[index] as boolean),
      kept.indexOf(window.clsIndex),
      kept.indexOf(span.startToken),
      kept.indexOf(span.endToken),
    );
  };
  const result = await deletionTest({
    confidence,
    scores: tokenScores,
    k: options.k,
    eligible,
    ...(options.trials === undefined ? {} : { trials: options.trials }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  return { ...result, answer: run.result, eligibleTokens, deletion };
}
