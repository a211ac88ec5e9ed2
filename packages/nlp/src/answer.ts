// answer(): extractive question answering with its evidence — the answer span as character offsets into the
// context, and what the start and end positions attended to. Long contexts run through overlapping windows.
// Runs any bert / distilbert / roberta-style model with start_logits / end_logits; attn/qa-captions by default.
import {
  AttnError,
  createTensor,
  describeValue,
  invalidArgument,
  type AttentionMaps,
  type CharacterOffsets,
  type Tensor,
} from '@attn/core-attention';
import type { EncoderOnlyModel, TextTokenizer } from '@attn/core-attention/runtime';
import {
  answerEvidence,
  evidenceSources,
  isEvidenceSource,
  windowAttention,
  type EvidenceSource,
} from './answer-evidence.js';
import { bestAnswerSpan, type AnswerSpan } from './answer-span.js';
import { questionContextWindows, type QuestionContextWindow } from './question-context-windows.js';
import type { WeightedSpan } from './source-attribution.js';
import { loadTextModel, type ModelSource } from './text-model.js';

/** The model used when `model` is not given. */
export const defaultQuestionAnsweringModel = 'attn/qa-captions';
export const questionAnsweringTypes = [
  'bert',
  'distilbert',
  'roberta',
  'xlm-roberta',
  'camembert',
  'albert',
  'electra',
  'deberta',
  'deberta-v2',
  'mpnet',
];
/** Models whose pair template is `<s> A </s></s> B </s>`. */
const doubleSeparatorTypes = ['roberta', 'xlm-roberta', 'camembert', 'mpnet'];

export interface AnswerOptions extends ModelSource {
  /** Tokens per window, question and special tokens included. Default min(384, the model's positions). */
  maxLength?: number;
  /**
   * Context tokens shared by consecutive windows (Hugging Face's doc_stride). Default min(128, half a window's
   * context); a stride that leaves no new tokens per window is lowered to that, with a warning.
   */
  stride?: number;
  /** Longest answer in tokens. Default 30. */
  maxAnswerLength?: number;
  /**
   * noAnswer is true when the [CLS] null score beats the best span by more than this, in logits:
   * min over windows of (start_cls + end_cls) − (start_i + end_j) > threshold (BERT's null_score_diff_threshold).
   * Default 0; Infinity never answers "no answer".
   */
  threshold?: number;
  /** Context words kept in each evidence list (consecutive ones merge into one span). Default 5. */
  evidenceWords?: number;
  /**
   * Which attention the evidence reads: 'last-layer', 'mean' (of all layers) or 'rollout', heads averaged, or
   * `{ layer, head? }` (one tapped layer, one head of it or its heads averaged). Default: the model's own choice,
   * `attn_answer_evidence` in its config.json (attn/qa-captions: `{ layer: 1, head: 3 }`, the head that passes the
   * deletion test on validation questions), else 'last-layer'. tools/eval's answer-faithfulness.ts compares them.
   */
  evidenceFrom?: EvidenceSource;
  /** Return the self-attention and the evidence. false runs the model untapped. Default true. */
  attention?: boolean;
  signal?: AbortSignal;
}

/** An answer and its evidence. */
export interface Answer {
  /** context.slice(start, end). */
  answer: string;
  /** [start, end) character offsets of the answer in the context. */
  start: number;
  end: number;
  /** p_start · p_end of the span within its window (softmax over the window's context tokens and [CLS]). */
  score: number;
  /**
   * The model's verdict that the context holds no answer (see `threshold`). The best span is still returned, so a
   * caller can show it; a context without any token gives an empty answer at 0.
   */
  noAnswer: boolean;
  /**
   * What the start and end tokens of the answer attended to: their rows of the self-attention (`evidenceFrom`), heads
   * averaged, summed into context words and renormalised over the context (weights: shares of that attention),
   * the `evidenceWords` best words merged into spans of the context.
   */
  evidence: { start: WeightedSpan[]; end: WeightedSpan[] };
  /** Self-attention [layer, head, token, token] of the window the answer came from; undefined when attention is off. */
  attention: AttentionMaps | undefined;
  /** The attention `evidence` read (see {@link AnswerOptions.evidenceFrom}); undefined when attention is off. */
  evidenceFrom: EvidenceSource | undefined;
  warnings: string[];
}

/** What {@link runAnswer} computes on the way: enough to re-score the answer with tokens deleted. */
export interface AnswerRun {
  result: Answer;
  model: EncoderOnlyModel;
  tokenizer: TextTokenizer;
  /** The window of the answer, its span, and per window token the evidence score (mean of the start and end rows). */
  window: QuestionContextWindow | undefined;
  span: AnswerSpan | undefined;
  tokenScores: Float64Array;
}

/**
 * Answers a question from a context: the best span over all windows by start + end logits, with the attention
 * evidence of its start and end tokens. A context longer than one window (`maxLength`) is read in windows that
 * overlap by `stride` tokens, each with the whole question; offsets always refer to the original context.
 *
 * @example
 * ```ts
 * const result = await answer({ question: 'What does the dog catch?', context: 'A brown dog catches a frisbee in the air.' });
 * result.answer; // 'a frisbee'
 * result.start; // 20 (context.slice(20, 29) === 'a frisbee')
 * result.evidence.start; // [{ start: 8, end: 29, weight: 0.645… }, …]  ('dog catches a frisbee': evidence may include the answer)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a question or context that is not a non-empty string, or bad options;
 * MODEL_NOT_FOUND for an unknown model; UNSUPPORTED for a model that is not an extractive QA encoder; MODEL_FORMAT
 * when the model has no start_logits / end_logits; ABORTED when `signal` fires.
 */
export async function answer(
  pair: { question: string; context: string },
  options: AnswerOptions = {},
): Promise<Answer> {
  return (await runAnswer('answer', pair, options)).result;
}

/**
 * {@link answer}, returning what the pipeline computed on the way (for the deletion test).
 *
 * @example
 * ```ts
 * const { result, window, span } = await runAnswer('answer', { question, context }, {});
 * window?.tokens.slice(span!.startToken, span!.endToken + 1); // the answer's tokens
 * ```
 * @throws {AttnError} as {@link answer}, naming `fn`.
 */
export async function runAnswer(
  fn: string,
  pair: { question: string; context: string },
  options: AnswerOptions,
): Promise<AnswerRun> {
  validate(fn, pair, options);
  const { question, context } = pair;
  const withAttention = options.attention ?? true;
  const { model, tokenizer, folder } = await loadTextModel(
    fn,
    options,
    defaultQuestionAnsweringModel,
    questionAnsweringTypes,
    'encoder',
    withAttention ? { encoder_self: 'all' } : {},
  );
  const modelType = folder.config.model_type;
  const doubleSeparator = doubleSeparatorTypes.includes(modelType);
  const typeVocabulary = folder.config['type_vocab_size'];
  const positions = folder.config['max_position_embeddings'];
  const maxPositions = typeof positions === 'number' ? positions - (doubleSeparator ? 2 : 0) : 512;
  const maxLength = options.maxLength ?? Math.min(384, maxPositions);
  const warnings: string[] = [];
  if (maxLength > maxPositions) {
    throw invalidArgument(
      fn,
      'options.maxLength',
      `at most the model's ${maxPositions} positions`,
      describeValue(maxLength),
    );
  }
  const { windows, warnings: windowWarnings } = questionContextWindows(
    tokenizer,
    { question, context },
    {
      maxLength,
      ...(options.stride === undefined ? {} : { stride: options.stride }),
      doubleSeparator,
      segmentIds: typeof typeVocabulary === 'number' && typeVocabulary >= 2,
    },
  );
  warnings.push(...windowWarnings);
  const maxAnswerLength = options.maxAnswerLength ?? 30;
  const modelEvidence = folder.config['attn_answer_evidence'];

  let best:
    | { window: QuestionContextWindow; span: AnswerSpan; attention: Map<string, Tensor<'float32'>> }
    | undefined;
  let minimumNullLogit = Number.POSITIVE_INFINITY;
  for (const [index, window] of windows.entries()) {
    if (options.signal?.aborted) {
      throw new AttnError(
        'ABORTED',
        `${fn}(): aborted after ${index} of ${windows.length} windows`,
        {
          cause: options.signal.reason,
        },
      );
    }
    const { startLogits, endLogits, attention } = await runWindow(fn, model, window);
    const span = bestAnswerSpan(
      startLogits,
      endLogits,
      window.contextOffsets.map((offsets) => offsets !== null),
      window.clsIndex,
      maxAnswerLength,
    );
    if (span === undefined) continue;
    minimumNullLogit = Math.min(minimumNullLogit, span.nullLogit);
    if (best === undefined || span.logit > best.span.logit) best = { window, span, attention };
  }
  const tokenScores = new Float64Array(best?.window.inputIds.length ?? 0);
  if (best === undefined) {
    return {
      result: {
        answer: '',
        start: 0,
        end: 0,
        score: 0,
        noAnswer: true,
        evidence: { start: [], end: [] },
        attention: undefined,
        evidenceFrom: undefined,
        warnings: [...warnings, 'the context has no tokens the model can answer from'],
      },
      model,
      tokenizer,
      window: undefined,
      span: undefined,
      tokenScores,
    };
  }
  const { window, span } = best;
  const start = (window.contextOffsets[span.startToken] as CharacterOffsets)[0];
  const end = (window.contextOffsets[span.endToken] as CharacterOffsets)[1];
  const result: Answer = {
    answer: context.slice(start, end),
    start,
    end,
    score: span.probability,
    noAnswer: minimumNullLogit - span.logit > (options.threshold ?? 0),
    evidence: { start: [], end: [] },
    attention: undefined,
    evidenceFrom: undefined,
    warnings,
  };
  if (withAttention) {
    result.attention = windowAttention(fn, best.attention, window.tokens);
    const source = evidenceSourceFor(
      fn,
      options,
      model.folder.source,
      modelEvidence,
      result.attention,
    );
    result.evidenceFrom = source;
    const evidence = answerEvidence(
      result.attention,
      window,
      span,
      context,
      options.evidenceWords ?? 5,
      source,
    );
    result.evidence = evidence.spans;
    tokenScores.set(evidence.tokenScores);
  }
  return { result, model, tokenizer, window, span, tokenScores };
}

/**
 * Runs the model on one window's ids (or the ids given instead) and returns its logits and tapped attention.
 *
 * @example
 * ```ts
 * const { startLogits } = await runWindow('answer', model, window);
 * startLogits.length === window.inputIds.length; // true
 * ```
 * @throws {AttnError} MODEL_FORMAT when the model has no start_logits / end_logits.
 */
export async function runWindow(
  fn: string,
  model: EncoderOnlyModel,
  window: Pick<QuestionContextWindow, 'inputIds' | 'tokenTypeIds'>,
): Promise<{
  startLogits: Float32Array;
  endLogits: Float32Array;
  attention: Map<string, Tensor<'float32'>>;
}> {
  const length = window.inputIds.length;
  const ids = (values: readonly number[]): Tensor<'int64'> =>
    createTensor('int64', [1, length], BigInt64Array.from(values, BigInt));
  const { outputs, attention } = await model.run({
    input_ids: ids(window.inputIds),
    attention_mask: ids(window.inputIds.map(() => 1)),
    token_type_ids: ids(window.tokenTypeIds),
  });
  const startLogits = outputs['start_logits']?.data;
  const endLogits = outputs['end_logits']?.data;
  if (!(startLogits instanceof Float32Array) || !(endLogits instanceof Float32Array)) {
    throw new AttnError(
      'MODEL_FORMAT',
      `${fn}(): ${model.folder.source} returns no start_logits / end_logits (outputs: ${Object.keys(outputs).join(', ')})`,
      {
        likelyCause: 'the model was exported without its question-answering head',
        fix: 'export it with the question-answering task (optimum-cli export onnx --task question-answering)',
      },
    );
  }
  return { startLogits, endLogits, attention };
}

/**
 * The evidence source of an answer: `options.evidenceFrom`, else the model's `attn_answer_evidence` (config.json),
 * else 'last-layer'; a layer or head must be one the run tapped.
 *
 * @throws {AttnError} INVALID_ARGUMENT for an `evidenceFrom` layer or head the model lacks; MODEL_FORMAT for an
 * `attn_answer_evidence` that is not an evidence source or names a layer or head the model lacks.
 */
function evidenceSourceFor(
  fn: string,
  options: AnswerOptions,
  folder: string,
  configured: unknown,
  attention: AttentionMaps,
): EvidenceSource {
  const fromModel = options.evidenceFrom === undefined && configured !== undefined;
  const source = options.evidenceFrom ?? (configured as EvidenceSource | undefined) ?? 'last-layer';
  const tapped =
    typeof source !== 'object' ||
    (attention.layers.includes(source.layer) &&
      (source.head === undefined || attention.heads.includes(source.head)));
  if (fromModel && !(isEvidenceSource(configured) && tapped)) {
    throw new AttnError(
      'MODEL_FORMAT',
      `${fn}(): ${folder}'s config.json has attn_answer_evidence ${describeValue(configured)}, which is not ` +
        `'last-layer', 'mean', 'rollout' or { layer, head? } with one of its layers (${attention.layers.join(', ')}) ` +
        `and heads (below ${attention.heads.length})`,
      {
        likelyCause: 'the setting was written for another model, or edited by hand',
        fix: 'correct or remove attn_answer_evidence in config.json, or pass options.evidenceFrom',
      },
    );
  }
  if (!tapped) {
    throw invalidArgument(
      fn,
      'options.evidenceFrom',
      `a tapped layer (${attention.layers.join(', ')}) and a head below ${attention.heads.length}`,
      describeValue(source),
    );
  }
  return source;
}

function validate(
  fn: string,
  pair: { question: string; context: string },
  options: AnswerOptions,
): void {
  if (typeof pair !== 'object' || pair === null) {
    throw invalidArgument(fn, 'input', 'an object { question, context }', describeValue(pair));
  }
  for (const field of ['question', 'context'] as const) {
    const value: unknown = pair[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw invalidArgument(fn, `input.${field}`, 'a non-empty string', describeValue(value));
    }
  }
  const integerOptions = [
    ['maxLength', options.maxLength, 6],
    ['stride', options.stride, 0],
    ['maxAnswerLength', options.maxAnswerLength, 1],
    ['evidenceWords', options.evidenceWords, 1],
  ] as const;
  for (const [name, value, minimum] of integerOptions) {
    if (value !== undefined && !(Number.isInteger(value) && value >= minimum)) {
      throw invalidArgument(fn, `options.${name}`, `an integer ≥ ${minimum}`, describeValue(value));
    }
  }
  if (
    options.threshold !== undefined &&
    (typeof options.threshold !== 'number' || Number.isNaN(options.threshold))
  ) {
    throw invalidArgument(fn, 'options.threshold', 'a number', describeValue(options.threshold));
  }
  if (options.evidenceFrom !== undefined && !isEvidenceSource(options.evidenceFrom)) {
    throw invalidArgument(
      fn,
      'options.evidenceFrom',
      `${evidenceSources.map((source) => `'${source}'`).join(', ')} or { layer, head? } (integers ≥ 0)`,
      describeValue(options.evidenceFrom),
    );
  }
}
