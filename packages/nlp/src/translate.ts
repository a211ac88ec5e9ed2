// translate(): text in, translation out with the word alignment its cross-attention implies.
// Runs any marian / bart / t5-style encoder–decoder in the Optimum layout; attn/mt-en-de by default.
import {
  describeValue,
  invalidArgument,
  type AlignmentLink,
  type AttentionMaps,
} from '@attn/core-attention';
import {
  type GeneratedSequence,
  type Seq2SeqGeneration,
  type TextTokenizer,
} from '@attn/core-attention/runtime';
import { crossAttentionMaps } from './cross-attention-maps.js';
import { splitWords } from './split-words.js';
import { loadTextModel, type ModelSource } from './text-model.js';
import { truncateEncoding } from './truncate-encoding.js';
import { wordAlignment, type WordAlignmentOptions } from './word-alignment.js';

/** The model used when `model` is not given. */
export const defaultTranslationModel = 'attn/mt-en-de';
/** Sentences per batch when `batchSize` is not given. */
export const defaultTranslateBatchSize = 64;
export const translationTypes = ['marian', 'bart', 'mbart', 't5', 'mt5', 'attn-gru'];

export interface TranslateOptions extends ModelSource {
  /** Beam width; 1 is greedy. Default from generation_config.json (4 for attn/mt-en-de). */
  numBeams?: number;
  /**
   * Longest translation in tokens. Default: twice the longest source of the batch plus 10 (in tokens), at most the
   * model's positions − 1.
   */
  maxNewTokens?: number;
  /** Beam scores are divided by length^lengthPenalty. Default from generation_config.json. */
  lengthPenalty?: number;
  /** Return the cross-attention and the word alignment. false runs the model untapped. Default true. */
  attention?: boolean;
  /** How the word alignment is read off the attention. */
  alignment?: WordAlignmentOptions;
  /** Sentences per batch when translating a list. Default 64 (larger batches run the decoder more efficiently). */
  batchSize?: number;
  signal?: AbortSignal;
}

/** One translated text. */
export interface Translation {
  text: string;
  /** Log-probability of the translation (beam search: divided by length^lengthPenalty). */
  score: number;
  /** Source tokens as the model read them (special tokens included). */
  sourceTokens: string[];
  /** The generated tokens, ending with the end-of-sequence token when the model produced one. */
  targetTokens: string[];
  /** White-space separated words of the source and of the translation. */
  sourceWords: string[];
  targetWords: string[];
  /** Source word ↔ target word links with their attention weight; empty when attention is off. */
  alignment: AlignmentLink[];
  /** Cross-attention [layer, head, decoder input, source token]; undefined when attention is off. */
  attention: AttentionMaps | undefined;
  /** What was adjusted on the way (for example a source truncated to the model's positions). */
  warnings: string[];
}

/**
 * Translates a text, or a list of texts (batched), returning each translation with its word alignment.
 *
 * @example
 * ```ts
 * const result = await translate('A dog runs on the beach.');
 * result.text; // 'Ein Hund rennt am Strand.'
 * result.alignment[1]; // { source: 1, target: 1, weight: 0.553… } ('dog' ↔ 'Hund')
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for an empty or non-string text or bad options; MODEL_NOT_FOUND for an unknown
 * model; UNSUPPORTED for a model that does not translate; ABORTED when `signal` fires.
 */
export function translate(text: string, options?: TranslateOptions): Promise<Translation>;
export function translate(
  texts: readonly string[],
  options?: TranslateOptions,
): Promise<Translation[]>;
export async function translate(
  input: string | readonly string[],
  options: TranslateOptions = {},
): Promise<Translation | Translation[]> {
  const texts = typeof input === 'string' ? [input] : input;
  validateTexts(texts, typeof input === 'string');
  const batchSize = options.batchSize ?? defaultTranslateBatchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw invalidArgument(
      'translate',
      'options.batchSize',
      'a positive integer',
      describeValue(batchSize),
    );
  }
  const withAttention = options.attention ?? true;
  const layers = options.alignment?.layers;
  const { model, tokenizer, folder } = await loadTextModel(
    'translate',
    options,
    defaultTranslationModel,
    translationTypes,
    'seq2seq',
    withAttention ? { cross: layers === undefined ? 'all' : [...layers] } : {},
  );
  const maxPositions = numberOr(folder.config['max_position_embeddings'], 512);
  const encodings = texts.map((text) => tokenizer.encode(text));
  const warnings = encodings.map((encoding) => truncate(encoding, maxPositions));
  // batches of similar length waste little on padding and finish together; results keep the input order
  const order = encodings
    .map((encoding, index) => ({ index, length: encoding.ids.length }))
    .sort((a, b) => a.length - b.length || a.index - b.index)
    .map(({ index }) => index);
  const results = new Array<Translation>(texts.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = order.slice(start, start + batchSize);
    const encoded = batch.map((index) => encodings[index]!);
    const longest = Math.max(...encoded.map((encoding) => encoding.ids.length));
    const run = await model.generate(
      encoded.map((encoding) => encoding.ids),
      {
        maxNewTokens: options.maxNewTokens ?? Math.min(2 * longest + 10, maxPositions - 1),
        ...(options.numBeams === undefined ? {} : { numBeams: options.numBeams }),
        ...(options.lengthPenalty === undefined ? {} : { lengthPenalty: options.lengthPenalty }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
    );
    batch.forEach((index, row) => {
      const sequence = run.sequences[row]?.[0] as GeneratedSequence;
      results[index] = describeTranslation(
        texts[index]!,
        encoded[row]!,
        sequence,
        run,
        tokenizer,
        withAttention,
        options.alignment,
        warnings[index]!,
      );
    });
  }
  return typeof input === 'string' ? (results[0] as Translation) : results;
}

function validateTexts(texts: readonly unknown[], single: boolean): void {
  if (!single && (!Array.isArray(texts) || texts.length === 0)) {
    throw invalidArgument(
      'translate',
      'texts',
      'a non-empty array of strings',
      describeValue(texts),
    );
  }
  texts.forEach((text, index) => {
    if (typeof text !== 'string' || text.trim() === '') {
      throw invalidArgument(
        'translate',
        single ? 'text' : `texts[${index}]`,
        'a non-empty string',
        describeValue(text),
        {
          fix: 'pass the text to translate',
        },
      );
    }
  });
}

/** Cuts a source longer than the model's positions (see truncateEncoding); returns the warnings. */
function truncate(encoding: ReturnType<TextTokenizer['encode']>, maxPositions: number): string[] {
  const cut = truncateEncoding(encoding, maxPositions);
  if (cut === undefined) return [];
  return [
    `the text has more tokens than the model's ${maxPositions} positions; it was translated up to character ${cut}`,
  ];
}

function describeTranslation(
  text: string,
  source: ReturnType<TextTokenizer['encode']>,
  sequence: GeneratedSequence,
  run: Seq2SeqGeneration,
  tokenizer: TextTokenizer,
  withAttention: boolean,
  alignmentOptions: WordAlignmentOptions | undefined,
  warnings: string[],
): Translation {
  const targetTokens = sequence.tokens.map((id) => tokenizer.idToToken(id) ?? `<${id}>`);
  const translation = tokenizer.decode(sequence.tokens);
  const target = tokenizer.alignTokens(translation, targetTokens);
  const result: Translation = {
    text: translation,
    score: sequence.score,
    sourceTokens: source.tokens,
    targetTokens,
    sourceWords: splitWords(text),
    targetWords: splitWords(translation),
    alignment: [],
    attention: undefined,
    warnings,
  };
  if (!withAttention) return result;
  const { attention, prompt } = crossAttentionMaps(
    'translate',
    run,
    sequence,
    tokenizer,
    source.tokens,
  );
  result.attention = attention;
  // query i (after the prompt) produced target token i: drop extra prompt rows so rows line up with targets
  const promptExtra = prompt.length - 1;
  const targetWordIds = [...new Array<number | null>(promptExtra).fill(null), ...target.wordIds];
  result.alignment = wordAlignment(
    result.attention,
    source.wordIds,
    targetWordIds,
    alignmentOptions,
  );
  return result;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
