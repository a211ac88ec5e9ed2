// summarize(): text in, summary out with its source attribution — for every summary word and sentence the
// source spans its cross-attention drew on, and a sentence-level highlight of the source.
// Runs any bart / t5 / marian-style encoder–decoder in the Optimum layout; attn/sum-captions by default.
import {
  describeValue,
  invalidArgument,
  wordIdsFromOffsets,
  type AttentionMaps,
} from '@attn/core-attention';
import { type TokenizedText } from '@attn/core-attention/runtime';
import { crossAttentionMaps } from './cross-attention-maps.js';
import { sourceAttribution, type WeightedSpan } from './source-attribution.js';
import { sentenceSpans, wordSpans } from './text-spans.js';
import { pickDefined } from './pick-defined.js';
import { loadTextModel, type ModelSource } from './text-model.js';
import { truncateEncoding } from './truncate-encoding.js';

/** The model used when `model` is not given. */
export const defaultSummarizationModel = 'attn/sum-captions';
export const summarizationTypes = ['bart', 'mbart', 't5', 'mt5', 'pegasus', 'marian'];

export interface SummarizeOptions extends ModelSource {
  /** Beam width; 1 is greedy. Default from generation_config.json. */
  numBeams?: number;
  /** Beam scores are divided by length^lengthPenalty. Default from generation_config.json. */
  lengthPenalty?: number;
  /** Stop a beam search as soon as numBeams hypotheses are finished. Default from generation_config.json. */
  earlyStopping?: boolean;
  /** Never repeat an n-gram of this size (0: off). Default from generation_config.json. */
  noRepeatNgramSize?: number;
  /** Longest summary in tokens. Default: generation_config.json's max_new_tokens or max_length − 1, else 128; at most the model's positions − 1. */
  maxNewTokens?: number;
  /** Shortest summary in tokens (end-of-sequence is suppressed until then). Default 0. */
  minNewTokens?: number;
  /** Text put before the input (T5's 'summarize: '). Default config.json's task_specific_params.summarization.prefix, else none. */
  prefix?: string;
  /** Return the cross-attention and the attribution. false runs the model untapped. Default true. */
  attention?: boolean;
  /** How the attribution is read off the cross-attention. */
  attribution?: SummaryAttributionOptions;
  signal?: AbortSignal;
}

/** How {@link summarize} reads sources off the cross-attention. */
export interface SummaryAttributionOptions {
  /** Layers to average (original indices). Default all. */
  layers?: readonly number[];
  /** Heads to average. Default all. */
  heads?: readonly number[];
  /** Source words kept per summary word or sentence (consecutive ones merge into one span). Default 3. */
  topWords?: number;
}

/** A summary with its attribution. */
export interface Summary {
  summary: string;
  /** Log-probability of the summary (beam search: divided by length^lengthPenalty). */
  score: number;
  /** Source tokens as the model read them (special and prefix tokens included, after truncation). */
  sourceTokens: string[];
  /** The generated tokens, ending with the end-of-sequence token when the model produced one. */
  summaryTokens: string[];
  /** The summary's sentences, each with the source spans its tokens attended to together. */
  sentences: { text: string; start: number; end: number; sources: WeightedSpan[] }[];
  /** The summary's white-space separated words, each with the source spans its tokens attended to. */
  words: { word: string; sources: WeightedSpan[] }[];
  /** Every source sentence with the share of the summary's cross-attention it received (weights sum to 1). */
  sourceHighlights: WeightedSpan[];
  /** Cross-attention [layer, head, decoder input, source token]; undefined when attention is off. */
  attention: AttentionMaps | undefined;
  /** What was adjusted on the way (a source truncated to the model's positions). */
  warnings: string[];
}

/**
 * Summarizes a text and attributes every summary word and sentence to the source spans it drew on: the summary's
 * cross-attention (layers and heads averaged) pooled to source words, the `topWords` best words merged into spans.
 * Weights are shares of the word's (or sentence's) attention to the source, special tokens left out, so a
 * word's weights over all source words sum to 1 and its top spans to at most 1. Offsets are characters of `text`.
 *
 * A source longer than the model's positions is truncated (keeping its end-of-sequence token) and a warning says
 * up to which character it was read; spans never point past it.
 *
 * @example
 * ```ts
 * const result = await summarize('A man rides a bike. A dog runs after him. The sun shines.');
 * result.summary; // 'A man rides a dog.' (attn/sum-captions is trained on captions of one scene)
 * result.words[1]; // { word: 'man', sources: [{ start: 2, end: 5, weight: 0.337… }, …] }
 * result.sourceHighlights; // [{ start: 0, end: 19, weight: 0.432… }, { start: 20, end: 41, weight: 0.451… }, { start: 42, end: 57, weight: 0.117… }]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for an empty or non-string text or bad options; MODEL_NOT_FOUND for an unknown
 * model; UNSUPPORTED for a model that is not an encoder–decoder; ABORTED when `signal` fires.
 */
export async function summarize(text: string, options: SummarizeOptions = {}): Promise<Summary> {
  if (typeof text !== 'string' || text.trim() === '') {
    throw invalidArgument('summarize', 'text', 'a non-empty string', describeValue(text), {
      fix: 'pass the text to summarize',
    });
  }
  const topWords = options.attribution?.topWords ?? 3;
  if (!Number.isInteger(topWords) || topWords < 1) {
    throw invalidArgument(
      'summarize',
      'options.attribution.topWords',
      'a positive integer',
      describeValue(topWords),
    );
  }
  if (options.prefix !== undefined && typeof options.prefix !== 'string') {
    throw invalidArgument('summarize', 'options.prefix', 'a string', describeValue(options.prefix));
  }
  const withAttention = options.attention ?? true;
  const layers = options.attribution?.layers;
  const { model, tokenizer, folder } = await loadTextModel(
    'summarize',
    options,
    defaultSummarizationModel,
    summarizationTypes,
    'seq2seq',
    withAttention ? { cross: layers === undefined ? 'all' : [...layers] } : {},
  );
  const maxPositions = positions(folder.config);
  const prefix = options.prefix ?? configPrefix(folder.config);
  const source = encodeSource(tokenizer.encode(prefix + text), text, prefix.length);
  const cut = truncateEncoding(source, maxPositions);
  const warnings =
    cut === undefined
      ? []
      : [
          `the text has more tokens than the model's ${maxPositions} positions; it was summarized up to character ${Math.max(0, cut - prefix.length)}`,
        ];
  const { maxNewTokens, maxLength } = model.defaults;
  const run = await model.generate([source.ids], {
    maxNewTokens:
      options.maxNewTokens ??
      Math.min(maxNewTokens ?? (maxLength === undefined ? 128 : maxLength - 1), maxPositions - 1),
    ...pickDefined(options, [
      'numBeams',
      'lengthPenalty',
      'earlyStopping',
      'noRepeatNgramSize',
      'minNewTokens',
      'signal',
    ]),
  });
  const sequence = run.sequences[0]![0]!;
  const summary = tokenizer.decode(sequence.tokens);
  const targetTokens = sequence.tokens.map((id) => tokenizer.idToToken(id) ?? `<${id}>`);
  const result: Summary = {
    summary,
    score: sequence.score,
    sourceTokens: source.tokens,
    summaryTokens: targetTokens,
    sentences: sentenceSpans(summary).map((span) => ({
      text: summary.slice(span.start, span.end),
      ...span,
      sources: [],
    })),
    words: wordSpans(summary).map((span) => ({
      word: summary.slice(span.start, span.end),
      sources: [],
    })),
    sourceHighlights: [],
    attention: undefined,
    warnings,
  };
  if (!withAttention) return result;

  const { attention, prompt } = crossAttentionMaps(
    'summarize',
    run,
    sequence,
    tokenizer,
    source.tokens,
  );
  result.attention = attention;
  // query row i (after the prompt) produced summary token i; rows of the extra prompt tokens belong to nothing
  const promptRows = new Array<null>(prompt.length - 1).fill(null);
  const targetOffsets = tokenizer
    .alignTokens(summary, targetTokens)
    .offsets.map((pair, index) =>
      tokenizer.specialTokens.has(targetTokens[index] as string) ? ([0, 0] as const) : pair,
    );
  const attribution = sourceAttribution(result.attention, {
    sourceText: text,
    sourceOffsets: source.offsets,
    targetText: summary,
    targetOffsets: [...promptRows.map(() => [0, 0] as const), ...targetOffsets],
    topWords,
    ...(layers === undefined ? {} : { layers }),
    ...(options.attribution?.heads === undefined ? {} : { heads: options.attribution.heads }),
  });
  result.words.forEach((word, index) => (word.sources = attribution.words[index] ?? []));
  result.sentences.forEach(
    (sentence, index) => (sentence.sources = attribution.sentences[index] ?? []),
  );
  result.sourceHighlights = attribution.sourceSentences;
  return result;
}

/** The tokenized source with offsets into `text` (the prefix's tokens become offsetless, like special tokens). */
function encodeSource(encoding: TokenizedText, text: string, prefixLength: number): TokenizedText {
  if (prefixLength === 0) return encoding;
  const offsets = encoding.offsets.map(([start, end]): [number, number] =>
    end <= prefixLength ? [0, 0] : [Math.max(0, start - prefixLength), end - prefixLength],
  );
  return { ...encoding, offsets, wordIds: wordIdsFromOffsets(text, offsets) };
}

function positions(config: Record<string, unknown>): number {
  const value = config['max_position_embeddings'] ?? config['n_positions'];
  return typeof value === 'number' ? value : 512;
}

function configPrefix(config: Record<string, unknown>): string {
  const parameters = config['task_specific_params'] as
    { summarization?: { prefix?: unknown } } | undefined;
  const prefix = parameters?.summarization?.prefix;
  return typeof prefix === 'string' ? prefix : '';
}
