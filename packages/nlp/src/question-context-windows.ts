// The inputs of an extractive QA model: `[CLS] question [SEP] context [SEP]` (RoBERTa-style models:
// `<s> question </s></s> context </s>`), with a context longer than the model's window split into overlapping
// windows, the question repeated in each (Hugging Face's doc_stride scheme, BERT's run_squad.py).
import {
  AttnError,
  describeValue,
  invalidArgument,
  type CharacterOffsets,
} from '@attn/core-attention';
import type { TextTokenizer } from '@attn/core-attention/runtime';

/** One model input: question and a piece of the context. */
export interface QuestionContextWindow {
  inputIds: number[];
  /** 0 for the question segment ([CLS] question [SEP]), 1 for the context segment; all 0 when the model has no segments. */
  tokenTypeIds: number[];
  tokens: string[];
  /** Per token: its [start, end) character offsets in the context, or null for question and special tokens. */
  contextOffsets: (CharacterOffsets | null)[];
  /** Position of the [CLS] token, whose start/end logits score "no answer". */
  clsIndex: number;
}

/** How {@link questionContextWindows} builds its windows. */
export interface QuestionContextOptions {
  /** Tokens per window, special tokens included (the model's positions at most). */
  maxLength: number;
  /**
   * Context tokens shared by consecutive windows (Hugging Face's doc_stride); lowered to half a window's context,
   * with a warning, when it does not fit. Default min(128, half a window's context).
   */
  stride?: number;
  /** RoBERTa-style `</s></s>` between question and context. */
  doubleSeparator: boolean;
  /** Segment ids 0 / 1 (BERT's token_type_ids); otherwise all 0. */
  segmentIds: boolean;
}

/**
 * Tokenizes a question and its context into model windows. The question keeps at most half of `maxLength` (longer
 * ones are cut, with a warning); the rest of each window holds context tokens, consecutive windows sharing
 * `stride` of them, so every context token is in some window.
 *
 * @example
 * ```ts
 * const { windows } = questionContextWindows(tokenizer, { question: 'what ?', context: 'a dog' }, {
 *   maxLength: 128, doubleSeparator: false, segmentIds: true,
 * });
 * windows[0].tokens; // ['[CLS]', 'what', '?', '[SEP]', 'a', 'dog', '[SEP]']
 * windows[0].tokenTypeIds; // [0, 0, 0, 0, 1, 1, 1]
 * windows[0].contextOffsets; // [null, null, null, null, [0, 1], [2, 5], null]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `maxLength` leaves no room for context or `stride` is negative;
 * MODEL_FORMAT when the tokenizer has no [CLS]/[SEP] (or <s>/</s>) tokens.
 */
export function questionContextWindows(
  tokenizer: TextTokenizer,
  pair: { question: string; context: string },
  options: QuestionContextOptions,
): { windows: QuestionContextWindow[]; warnings: string[] } {
  const fn = 'questionContextWindows';
  const { maxLength, doubleSeparator, segmentIds } = options;
  const cls = tokenizer.specialTokenId('cls_token') ?? tokenizer.specialTokenId('bos_token');
  const sep = tokenizer.specialTokenId('sep_token') ?? tokenizer.specialTokenId('eos_token');
  if (cls === undefined || sep === undefined) {
    throw new AttnError(
      'MODEL_FORMAT',
      `${fn}(): the tokenizer names no cls_token / sep_token (or bos_token / eos_token) in tokenizer_config.json`,
      { fix: 'add cls_token and sep_token to tokenizer_config.json' },
    );
  }
  const separators = doubleSeparator ? 4 : 3;
  if (!Number.isInteger(maxLength) || maxLength < separators + 2) {
    throw invalidArgument(
      fn,
      'maxLength',
      `an integer ≥ ${separators + 2} (special tokens plus room for question and context)`,
      describeValue(maxLength),
    );
  }
  if (options.stride !== undefined && !(Number.isInteger(options.stride) && options.stride >= 0)) {
    throw invalidArgument(fn, 'stride', 'a non-negative integer', describeValue(options.stride));
  }
  const warnings: string[] = [];
  const question = tokenizer.encode(pair.question, { addSpecialTokens: false });
  // the question keeps at most half the window and always leaves room for one context token
  const questionLimit = Math.min(Math.floor(maxLength / 2), maxLength - separators - 1);
  if (question.ids.length > questionLimit) {
    warnings.push(
      `the question has ${question.ids.length} tokens; only its first ${questionLimit} were read (a question may fill half of the ${maxLength}-token window)`,
    );
  }
  const questionIds = question.ids.slice(0, questionLimit);
  const context = tokenizer.encode(pair.context, { addSpecialTokens: false });
  const budget = maxLength - questionIds.length - separators; // context tokens per window
  let stride = options.stride ?? Math.min(128, Math.floor(budget / 2));
  if (stride >= budget) {
    stride = Math.floor(budget / 2);
    warnings.push(
      `stride ${options.stride} does not fit the ${budget} context tokens of a window; ${stride} was used`,
    );
  }
  const prefix = doubleSeparator ? [cls, ...questionIds, sep, sep] : [cls, ...questionIds, sep];
  const windows: QuestionContextWindow[] = [];
  for (let start = 0; ; start += budget - stride) {
    const end = Math.min(start + budget, context.ids.length);
    const inputIds = [...prefix, ...context.ids.slice(start, end), sep];
    const questionSegment = questionIds.length + 2; // [CLS] question [SEP]
    windows.push({
      inputIds,
      tokenTypeIds: inputIds.map((_, index) => (segmentIds && index >= questionSegment ? 1 : 0)),
      tokens: inputIds.map((id) => tokenizer.idToToken(id) ?? `<${id}>`),
      contextOffsets: [
        ...prefix.map(() => null),
        ...context.offsets.slice(start, end).map(([from, to]): CharacterOffsets => [from, to]),
        null,
      ],
      clsIndex: 0,
    });
    if (end >= context.ids.length) break;
  }
  return { windows, warnings };
}
