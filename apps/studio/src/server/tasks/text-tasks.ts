// The text tasks as the worker runs them: @attn/nlp's translate, summarize, answer and chat on the model's
// folder, their results reduced to the studio's wire shapes (studio-api.ts).
import { answer, chat, summarize, translate } from '@attn/nlp';
import type {
  AnswerResult,
  ChatResult,
  SummarizeResult,
  TranslateResult,
} from '../../api/studio-api.js';
import type { TaskInput } from '../task-input.js';
import { roundWeights, wireAttention } from './wire-numbers.js';

/** A task's result before the worker adds the model id and the time it took. */
export type TaskOutput<Result> = Omit<Result, 'model' | 'elapsedMs'>;

type InputOf<Task extends TaskInput['task']> = Extract<TaskInput, { task: Task }>;

/**
 * Translates, with the cross-attention of every layer and head.
 *
 * @example
 * ```ts
 * (await translateTask({ task: 'translate', text: 'A dog runs.' }, '/repo/models/mt-en-de', signal)).text;
 * // 'Ein Hund rennt.'
 * ```
 * @throws {AttnError} as translate().
 */
export async function translateTask(
  input: InputOf<'translate'>,
  folder: string,
  signal: AbortSignal,
): Promise<TaskOutput<TranslateResult>> {
  const { text, numBeams, maxNewTokens } = input;
  const result = await translate(text, {
    model: folder,
    signal,
    ...(numBeams === undefined ? {} : { numBeams }),
    ...(maxNewTokens === undefined ? {} : { maxNewTokens }),
  });
  return {
    task: 'translate',
    text: result.text,
    sourceTokens: result.sourceTokens,
    targetTokens: result.targetTokens,
    sourceWords: result.sourceWords,
    targetWords: result.targetWords,
    alignment: result.alignment.map((link) => ({
      ...link,
      weight: roundWeights([link.weight])[0]!,
    })),
    attention: wireAttention(result.attention),
    warnings: result.warnings,
  };
}

/**
 * Summarizes, with each summary word's source spans.
 *
 * @example
 * ```ts
 * (await summarizeTask({ task: 'summarize', text }, folder, signal)).words[0]; // { word: 'A', sources: [...] }
 * ```
 * @throws {AttnError} as summarize().
 */
export async function summarizeTask(
  input: InputOf<'summarize'>,
  folder: string,
  signal: AbortSignal,
): Promise<TaskOutput<SummarizeResult>> {
  const { text, numBeams, maxNewTokens } = input;
  const result = await summarize(text, {
    model: folder,
    signal,
    ...(numBeams === undefined ? {} : { numBeams }),
    ...(maxNewTokens === undefined ? {} : { maxNewTokens }),
  });
  return {
    task: 'summarize',
    source: text,
    summary: result.summary,
    sourceTokens: result.sourceTokens,
    summaryTokens: result.summaryTokens,
    words: result.words,
    sourceHighlights: result.sourceHighlights,
    attention: wireAttention(result.attention),
    warnings: result.warnings,
  };
}

/**
 * Answers from the context, with the evidence of the answer's start and end.
 *
 * @example
 * ```ts
 * (await answerTask({ task: 'answer', question, context }, folder, signal)).answer; // 'a frisbee'
 * ```
 * @throws {AttnError} as answer().
 */
export async function answerTask(
  input: InputOf<'answer'>,
  folder: string,
  signal: AbortSignal,
): Promise<TaskOutput<AnswerResult>> {
  const result = await answer(
    { question: input.question, context: input.context },
    { model: folder, signal },
  );
  return {
    task: 'answer',
    context: input.context,
    answer: result.answer,
    start: result.start,
    end: result.end,
    score: result.score,
    noAnswer: result.noAnswer,
    evidence: result.evidence,
    warnings: result.warnings,
  };
}

/**
 * Replies to the conversation, with the share of attention each turn got.
 *
 * @example
 * ```ts
 * (await chatTask({ task: 'chat', messages: [{ role: 'user', content: 'Hi!' }] }, folder, signal)).reply;
 * ```
 * @throws {AttnError} as chat().
 */
export async function chatTask(
  input: InputOf<'chat'>,
  folder: string,
  signal: AbortSignal,
): Promise<TaskOutput<ChatResult>> {
  const result = await chat(input.messages, {
    model: folder,
    signal,
    ...(input.maxNewTokens === undefined ? {} : { maxNewTokens: input.maxNewTokens }),
  });
  return {
    task: 'chat',
    reply: result.reply,
    finishReason: result.finishReason,
    turnAttention: result.turnAttention,
    warnings: result.warnings,
  };
}
