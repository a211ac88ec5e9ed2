// Decoding options, named as Hugging Face's GenerationConfig names them (camelCase), and the
// conversion from a parsed generation_config.json.
// https://huggingface.co/docs/transformers/main_classes/text_generation#transformers.GenerationConfig
import { AttnError, describeValue } from '../../errors/index.js';

/**
 * When beam search stops (Hugging Face's `early_stopping`). A batch row stops once it holds
 * `numBeams` finished hypotheses and:
 * - `true`: at once.
 * - `false` (default): its best running beam, length-normalised at the current length, does not
 *   beat the worst finished one. A heuristic: with `lengthPenalty > 0` a longer continuation could
 *   still have won.
 * - `'never'`: no running beam can beat the worst finished one under any continuation (normalised
 *   at `maxNewTokens` when `lengthPenalty > 0`): canonical, exact beam search.
 */
export type EarlyStopping = boolean | 'never';

/** How to decode. Every field is optional; defaults are Hugging Face's. */
export interface GenerationOptions {
  /** New tokens at most. Wins over `maxLength`. */
  maxNewTokens?: number;
  /** Prompt plus new tokens at most. Default 20 when `maxNewTokens` is absent. */
  maxLength?: number;
  /** Eos is suppressed until this many new tokens exist. Default 0. */
  minNewTokens?: number;
  /** Eos is suppressed until prompt plus new tokens reach this length. Default 0. */
  minLength?: number;
  /** Beams per input row; 1 is greedy or sampling. Default 1. */
  numBeams?: number;
  /** Beam scores are divided by length ** lengthPenalty; > 0 favours longer output. Default 1. */
  lengthPenalty?: number;
  /** See {@link EarlyStopping}. Default false. */
  earlyStopping?: EarlyStopping;
  /** Sequences returned per input row: the best ones for beam search (≤ numBeams), independent draws for sampling. Default 1. */
  numReturnSequences?: number;
  /** Sample instead of taking the most likely token. Default false. */
  doSample?: boolean;
  /** Sampling: logits are divided by this (> 0). Default 1. */
  temperature?: number;
  /** Sampling: keep the k most likely tokens (ties with the k-th kept); 0 keeps all. Default 50. */
  topK?: number;
  /** Sampling: keep the smallest set of most likely tokens whose probability reaches this, in (0, 1]. Default 1. */
  topP?: number;
  /** Seen tokens' logits are divided by this when positive, multiplied when negative. Default 1 (off). */
  repetitionPenalty?: number;
  /** No n-gram of this size occurs twice in prompt plus output. Default 0 (off). */
  noRepeatNgramSize?: number;
  /** Token sequences that must not be generated; a single eos token in this list is ignored, as in Hugging Face. */
  badWordsIds?: readonly (readonly number[])[];
  /** Forced as the first new token. */
  forcedBosTokenId?: number;
  /** Forced as the last new token the length budget allows (any of them, when several). */
  forcedEosTokenId?: number | readonly number[];
  /** Never generated. */
  suppressTokens?: readonly number[];
  /** Not generated as the first new token. */
  beginSuppressTokens?: readonly number[];
  /** Ends a sequence (any of them, when several). */
  eosTokenId?: number | readonly number[];
  /** Fed to the stepper for rows that have finished. Default: the first eos id, else 0. */
  padTokenId?: number;
  /** The prompt of every row when `prompt` is absent: `[decoderStartTokenId]`. */
  decoderStartTokenId?: number;
  /** Decoder prompt ids per input row, all of one length (left-pad them; the stepper masks the padding). */
  prompt?: readonly (readonly number[])[];
  /** Input rows when `prompt` is absent. Default 1. */
  batchSize?: number;
  /** Seeds the sampler (mulberry32); without it sampling draws from Math.random. */
  seed?: number;
}

type Kind =
  | 'integer'
  | 'number'
  | 'boolean'
  | 'integerOrList'
  | 'integerList'
  | 'integerLists'
  | 'earlyStopping';

/** generation_config.json keys read, their option names and value kinds. Other keys are ignored. */
const configKeys: readonly (readonly [string, keyof GenerationOptions, Kind])[] = [
  ['max_new_tokens', 'maxNewTokens', 'integer'],
  ['max_length', 'maxLength', 'integer'],
  ['min_new_tokens', 'minNewTokens', 'integer'],
  ['min_length', 'minLength', 'integer'],
  ['num_beams', 'numBeams', 'integer'],
  ['length_penalty', 'lengthPenalty', 'number'],
  ['early_stopping', 'earlyStopping', 'earlyStopping'],
  ['num_return_sequences', 'numReturnSequences', 'integer'],
  ['do_sample', 'doSample', 'boolean'],
  ['temperature', 'temperature', 'number'],
  ['top_k', 'topK', 'integer'],
  ['top_p', 'topP', 'number'],
  ['repetition_penalty', 'repetitionPenalty', 'number'],
  ['no_repeat_ngram_size', 'noRepeatNgramSize', 'integer'],
  ['bad_words_ids', 'badWordsIds', 'integerLists'],
  ['forced_bos_token_id', 'forcedBosTokenId', 'integer'],
  ['forced_eos_token_id', 'forcedEosTokenId', 'integerOrList'],
  ['suppress_tokens', 'suppressTokens', 'integerList'],
  ['begin_suppress_tokens', 'beginSuppressTokens', 'integerList'],
  ['eos_token_id', 'eosTokenId', 'integerOrList'],
  ['pad_token_id', 'padTokenId', 'integer'],
  ['decoder_start_token_id', 'decoderStartTokenId', 'integer'],
];

const expectations: Record<Kind, string> = {
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  integerOrList: 'an integer or a list of integers',
  integerList: 'a list of integers',
  integerLists: 'a list of lists of integers',
  earlyStopping: "true, false or 'never'",
};

/**
 * Reads the decoding options from a parsed generation_config.json (or the generation fields of an
 * older model's config.json). Unknown keys and `null` values are skipped; values are checked only
 * for type here, and for range when generation starts.
 *
 * @example
 * ```ts
 * generationOptionsFromConfig({ num_beams: 4, early_stopping: true, eos_token_id: 2, forced_bos_token_id: null });
 * // { numBeams: 4, earlyStopping: true, eosTokenId: 2 }
 * ```
 * @throws {AttnError} MODEL_FORMAT when the config is not an object or a known key has the wrong type.
 */
export function generationOptionsFromConfig(config: unknown): GenerationOptions {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new AttnError(
      'MODEL_FORMAT',
      `generationOptionsFromConfig(): the config must be a JSON object, got ${describeValue(config)}`,
    );
  }
  const json = config as Record<string, unknown>;
  const options: Record<string, unknown> = {};
  for (const [key, name, kind] of configKeys) {
    const value = json[key];
    if (value === undefined || value === null) continue;
    if (!hasKind(value, kind)) {
      throw new AttnError(
        'MODEL_FORMAT',
        `generationOptionsFromConfig(): generation_config.json key ${key} must be ${expectations[kind]}, got ${describeValue(value)}`,
        { fix: `correct or remove ${key} in generation_config.json` },
      );
    }
    options[name] = value;
  }
  return options as GenerationOptions;
}

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'earlyStopping':
      return typeof value === 'boolean' || value === 'never';
    case 'integerList':
      return isIntegerList(value);
    case 'integerOrList':
      return Number.isInteger(value) || isIntegerList(value);
    case 'integerLists':
      return Array.isArray(value) && value.every(isIntegerList);
  }
}

function isIntegerList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => Number.isInteger(item));
}
