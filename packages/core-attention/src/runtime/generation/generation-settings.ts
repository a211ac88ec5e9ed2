// The boundary of every decoding entry point: checks a request against the stepper and fills in
// Hugging Face's defaults, so the search loops can trust what they get.
import {
  AttnError,
  describeValue,
  invalidArgument,
  type AttnErrorOptions,
} from '../../errors/index.js';
import type { DecoderStepResult, DecoderStepper, GenerationStep } from './decoder-stepper.js';
import type { EarlyStopping, GenerationOptions } from './generation-options.js';
import { seededRandom, type Random } from '../../tensor/index.js';

/** Decoding options plus the controls of one call. */
export interface GenerationRequest<
  Result extends DecoderStepResult = DecoderStepResult,
> extends GenerationOptions {
  /** Aborting stops before the next stepper call; the call rejects with AttnError ABORTED. */
  signal?: AbortSignal;
  /** Called after every stepper call with its result, e.g. to keep tapped attention. */
  onStep?: (step: GenerationStep<Result>) => void;
}

/** The search a request asks for (Hugging Face's generation modes, without beam sampling). */
export type DecodingMode = 'greedy' | 'sample' | 'beam';

/** A checked request with every default filled in. */
export interface GenerationSettings {
  mode: DecodingMode;
  prompt: number[][];
  maxNewTokens: number;
  /** Eos is suppressed while fewer new tokens exist (minNewTokens and minLength combined). */
  minNewTokens: number;
  numBeams: number;
  numReturnSequences: number;
  lengthPenalty: number;
  earlyStopping: EarlyStopping;
  temperature: number;
  topK: number;
  topP: number;
  repetitionPenalty: number;
  noRepeatNgramSize: number;
  badWordsIds: number[][];
  forcedBosTokenIds: number[];
  forcedEosTokenIds: number[];
  suppressTokens: number[];
  beginSuppressTokens: number[];
  eosTokenIds: number[];
  padTokenId: number;
  random: Random;
}

/** Hugging Face's default `max_length` when neither length is given. */
const defaultMaxLength = 20;

/**
 * Checks `request` for `fn` and resolves it. `mode` is the search the entry point runs; 'auto'
 * picks it from `numBeams` and `doSample` as Hugging Face's `generate` does.
 *
 * @example
 * ```ts
 * const stepper = fakeDecoderStepper({ vocabSize: 8 }); // from '@attn/core-attention/testing'
 * resolveGeneration('greedySearch', stepper, { prompt: [[0]], maxLength: 5 }, 'greedy').maxNewTokens; // 4
 * resolveGeneration('generate', stepper, { prompt: [[0]], numBeams: 3 }, 'auto').mode; // 'beam'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT naming the option, what it must be and what it was;
 * UNSUPPORTED for sampling with several beams.
 */
export function resolveGeneration<Result extends DecoderStepResult>(
  fn: string,
  stepper: DecoderStepper<Result>,
  request: GenerationRequest<Result>,
  mode: DecodingMode | 'auto',
): GenerationSettings {
  const vocabSize = stepper.vocabSize;
  if (!Number.isInteger(vocabSize) || vocabSize < 1) {
    throw invalidArgument(fn, 'stepper.vocabSize', 'a positive integer', describeValue(vocabSize));
  }
  const read = optionReader(fn, request, vocabSize);
  const { resolvedMode, numBeams, numReturnSequences } = resolveMode(fn, request, read, mode);
  const prompt = resolvePrompt(fn, request, read);
  const eosTokenIds = read.tokenIds('eosTokenId', request.eosTokenId);
  const seed = request.seed;
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw invalidArgument(fn, 'seed', 'an integer', describeValue(seed));
  }
  return {
    mode: resolvedMode,
    prompt,
    ...resolveLengths(fn, request, read, (prompt[0] as number[]).length),
    numBeams,
    numReturnSequences,
    lengthPenalty: read.number('lengthPenalty', 1, 'a finite number', () => true),
    earlyStopping: resolveEarlyStopping(fn, request.earlyStopping),
    // checked only when sampling: greedy and beam search ignore it, as Hugging Face does
    temperature:
      resolvedMode === 'sample'
        ? read.number('temperature', 1, 'a finite number > 0 when sampling', (value) => value > 0, {
            fix: 'for the most likely tokens use greedy search (doSample false) instead of temperature 0',
          })
        : 1,
    topK: read.integer('topK', 50, 0),
    topP: read.number('topP', 1, 'a number in (0, 1]', (value) => value > 0 && value <= 1),
    repetitionPenalty: read.number(
      'repetitionPenalty',
      1,
      'a finite number > 0',
      (value) => value > 0,
    ),
    noRepeatNgramSize: read.integer('noRepeatNgramSize', 0, 0),
    badWordsIds: resolveBadWords(fn, request.badWordsIds, read, eosTokenIds),
    forcedBosTokenIds: read.tokenIds('forcedBosTokenId', request.forcedBosTokenId),
    forcedEosTokenIds: read.tokenIds('forcedEosTokenId', request.forcedEosTokenId),
    suppressTokens: read.tokenIds('suppressTokens', request.suppressTokens),
    beginSuppressTokens: read.tokenIds('beginSuppressTokens', request.beginSuppressTokens),
    eosTokenIds,
    padTokenId:
      request.padTokenId === undefined
        ? (eosTokenIds[0] ?? 0)
        : read.tokenId('padTokenId', request.padTokenId),
    random: seed === undefined ? Math.random : seededRandom(seed),
  };
}

type NumericOption = {
  [Name in keyof GenerationOptions]-?: GenerationOptions[Name] extends number | undefined
    ? Name
    : never;
}[keyof GenerationOptions];

interface OptionReader {
  integer(name: NumericOption, fallback: number, minimum: number): number;
  number(
    name: NumericOption,
    fallback: number,
    expected: string,
    isValid: (value: number) => boolean,
    errorOptions?: AttnErrorOptions,
  ): number;
  tokenId(name: string, value: unknown): number;
  tokenIds(name: string, value: number | readonly number[] | undefined): number[];
}

/** Reads options of `request` with defaults, throwing the boundary's errors. */
function optionReader(fn: string, request: GenerationOptions, vocabSize: number): OptionReader {
  const tokenId = (name: string, value: unknown): number => {
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= vocabSize) {
      throw invalidArgument(fn, name, `a token id in [0, ${vocabSize})`, describeValue(value));
    }
    return value as number;
  };
  return {
    integer(name, fallback, minimum) {
      const value = request[name] ?? fallback;
      if (!Number.isInteger(value) || value < minimum) {
        throw invalidArgument(fn, name, `an integer ≥ ${minimum}`, describeValue(value));
      }
      return value;
    },
    number(name, fallback, expected, isValid, errorOptions) {
      const value = request[name] ?? fallback;
      if (typeof value !== 'number' || !Number.isFinite(value) || !isValid(value)) {
        throw invalidArgument(fn, name, expected, describeValue(value), errorOptions);
      }
      return value;
    },
    tokenId,
    tokenIds(name, value) {
      if (value === undefined) return [];
      const list = typeof value === 'number' ? [value] : value;
      if (!Array.isArray(list)) {
        throw invalidArgument(fn, name, 'a token id or a list of token ids', describeValue(value));
      }
      return list.map((id, index) => tokenId(`${name}[${index}]`, id));
    },
  };
}

function resolveMode(
  fn: string,
  request: GenerationOptions,
  read: OptionReader,
  mode: DecodingMode | 'auto',
): { resolvedMode: DecodingMode; numBeams: number; numReturnSequences: number } {
  const numBeams = read.integer('numBeams', 1, 1);
  const numReturnSequences = read.integer('numReturnSequences', 1, 1);
  const doSample = request.doSample ?? false;
  if (typeof doSample !== 'boolean') {
    throw invalidArgument(fn, 'doSample', 'a boolean', describeValue(doSample));
  }
  const resolvedMode =
    mode !== 'auto' ? mode : numBeams > 1 ? 'beam' : doSample ? 'sample' : 'greedy';
  if (numBeams > 1 && (resolvedMode === 'sample' || (resolvedMode === 'beam' && doSample))) {
    throw new AttnError(
      'UNSUPPORTED',
      `${fn}(): sampling with numBeams > 1 (beam sampling) is not supported, got numBeams ${numBeams}`,
      {
        fix: 'use doSample with numBeams 1, or beam search without doSample',
      },
    );
  }
  if (resolvedMode === 'greedy' && (doSample || numBeams > 1)) {
    throw invalidArgument(
      fn,
      'options',
      'greedy (numBeams 1, doSample false)',
      `numBeams ${numBeams}, doSample ${doSample}`,
      {
        fix: 'call beamSearch() or sample(), or generate() to choose from the options',
      },
    );
  }
  if (resolvedMode === 'sample' && request.doSample === false) {
    throw invalidArgument(fn, 'doSample', 'true or absent for sample()', 'false', {
      fix: 'call greedySearch() instead',
    });
  }
  if (resolvedMode === 'greedy' && numReturnSequences !== 1) {
    throw invalidArgument(
      fn,
      'numReturnSequences',
      '1 for greedy search (it has one answer per row)',
      describeValue(numReturnSequences),
      {
        fix: 'use beam search or sampling for several sequences per row',
      },
    );
  }
  if (resolvedMode === 'beam' && numReturnSequences > numBeams) {
    throw invalidArgument(
      fn,
      'numReturnSequences',
      `at most numBeams (${numBeams})`,
      describeValue(numReturnSequences),
    );
  }
  return { resolvedMode, numBeams: resolvedMode === 'beam' ? numBeams : 1, numReturnSequences };
}

/** New-token budget (maxNewTokens wins over maxLength, which counts the prompt) and minimum. */
function resolveLengths(
  fn: string,
  request: GenerationOptions,
  read: OptionReader,
  promptLength: number,
): { maxNewTokens: number; minNewTokens: number } {
  // minLength counts the prompt too; both suppress eos, so the stricter one wins
  const minNewTokens = Math.max(
    read.integer('minNewTokens', 0, 0),
    read.integer('minLength', 0, 0) - promptLength,
  );
  if (request.maxNewTokens !== undefined)
    return { maxNewTokens: read.integer('maxNewTokens', 1, 1), minNewTokens };
  const maxLength = read.integer('maxLength', defaultMaxLength, 1);
  if (maxLength <= promptLength) {
    throw invalidArgument(
      fn,
      'maxLength',
      `greater than the prompt length ${promptLength}`,
      describeValue(maxLength),
      {
        fix: 'set maxNewTokens, which does not count the prompt',
      },
    );
  }
  return { maxNewTokens: maxLength - promptLength, minNewTokens };
}

function resolveEarlyStopping(fn: string, earlyStopping: unknown): EarlyStopping {
  if (earlyStopping === undefined) return false;
  if (typeof earlyStopping !== 'boolean' && earlyStopping !== 'never') {
    throw invalidArgument(
      fn,
      'earlyStopping',
      "true, false or 'never'",
      describeValue(earlyStopping),
    );
  }
  return earlyStopping;
}

function resolveBadWords(
  fn: string,
  badWordsIds: GenerationOptions['badWordsIds'],
  read: OptionReader,
  eosTokenIds: readonly number[],
): number[][] {
  if (badWordsIds === undefined) return [];
  if (!Array.isArray(badWordsIds)) {
    throw invalidArgument(
      fn,
      'badWordsIds',
      'a list of token id lists',
      describeValue(badWordsIds),
    );
  }
  return (
    badWordsIds
      .map((word, index) => {
        if (!Array.isArray(word) || word.length === 0) {
          throw invalidArgument(
            fn,
            `badWordsIds[${index}]`,
            'a non-empty list of token ids',
            describeValue(word),
          );
        }
        return read.tokenIds(`badWordsIds[${index}]`, word);
      })
      // as Hugging Face: banning eos on its own would forbid ever finishing
      .filter((word) => !(word.length === 1 && eosTokenIds.includes(word[0] as number)))
  );
}

function resolvePrompt(fn: string, request: GenerationOptions, read: OptionReader): number[][] {
  const { prompt, batchSize, decoderStartTokenId } = request;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw invalidArgument(fn, 'batchSize', 'a positive integer', describeValue(batchSize));
  }
  if (prompt === undefined) {
    if (decoderStartTokenId === undefined) {
      throw invalidArgument(fn, 'prompt', 'given when decoderStartTokenId is absent', 'neither', {
        fix: 'pass prompt (token ids per row) or decoderStartTokenId (from generation_config.json)',
      });
    }
    const start = read.tokenId('decoderStartTokenId', decoderStartTokenId);
    return Array.from({ length: batchSize ?? 1 }, () => [start]);
  }
  if (!Array.isArray(prompt) || prompt.length === 0) {
    throw invalidArgument(fn, 'prompt', 'a non-empty list of token id rows', describeValue(prompt));
  }
  if (batchSize !== undefined && batchSize !== prompt.length) {
    throw invalidArgument(
      fn,
      'batchSize',
      `the number of prompt rows (${prompt.length})`,
      describeValue(batchSize),
    );
  }
  const length = Array.isArray(prompt[0]) ? prompt[0].length : 0;
  return prompt.map((row, index) => {
    if (!Array.isArray(row) || row.length === 0 || row.length !== length) {
      throw invalidArgument(
        fn,
        `prompt[${index}]`,
        `a non-empty row of token ids as long as prompt[0] (${length})`,
        describeValue(row),
        {
          fix: 'left-pad shorter rows with padTokenId and let the stepper mask the padding',
        },
      );
    }
    return row.map((id, position) => read.tokenId(`prompt[${index}][${position}]`, id));
  });
}
