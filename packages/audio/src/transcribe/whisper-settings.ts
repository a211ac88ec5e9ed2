// What a Whisper transcription needs from a model folder: the feature extractor's chunk
// (preprocessor_config.json, Hugging Face's WhisperFeatureExtractor), the decoder prompt, the token ranges
// and the alignment heads (generation_config.json, WhisperGenerationConfig), the encoder's positions (config.json).
// Vocabulary order assumed, as in every Whisper export: text tokens, <|endoftext|>, special tokens, timestamps.
import { AttnError, describeValue, invalidArgument } from '@attn/core-attention';
import { isSupportedSampleRate } from '../io/decoded-audio.js';

/** The three JSON files of a Whisper folder, parsed. */
export interface WhisperConfigFiles {
  config: Record<string, unknown>;
  generationConfig: Record<string, unknown>;
  preprocessorConfig: Record<string, unknown>;
}

/** Whisper tasks: transcribe in the spoken language, or translate into English. */
export type WhisperTask = 'transcribe' | 'translate';

/** A (decoder layer, head) pair whose cross-attention follows the speech in time. */
export type AlignmentHead = readonly [layer: number, head: number];

export interface WhisperSettings {
  /** Samples per second the model hears (`sampling_rate`, 16000 for every Whisper). */
  sampleRate: number;
  /** Mel bins (`feature_size`), STFT length (`n_fft`) and hop (`hop_length`). */
  melBins: number;
  fftLength: number;
  hopLength: number;
  /** One window: `n_samples` samples, `chunk_length` seconds, `nb_max_frames` mel frames. */
  chunkSamples: number;
  chunkSeconds: number;
  melFrames: number;
  /** Encoder positions per window (`max_source_positions` = melFrames / 2). */
  encoderFrames: number;
  /** Seconds per encoder position: chunk_length / max_source_positions (0.02 for every Whisper). */
  secondsPerFrame: number;
  /** Decoder prompt: <|startoftranscript|>, language, task, <|notimestamps|> (as the folder defines them). */
  prompt: number[];
  /** The language asked for ('en'), or undefined for an English-only model without language tokens. */
  language: string | undefined;
  /** <|endoftext|>: every id below it is text. */
  endOfTextId: number;
  /** Every id above <|endoftext|> (special and timestamp tokens): never generated mid-transcript. */
  nonTextTokens: number[];
  alignmentHeads: AlignmentHead[];
  /** Width of the median filter over frames (`median_filter_width` in config.json, default 7). */
  medianFilterWidth: number;
  /** Longest transcript per window: max_target_positions / 2, as openai/whisper's sample_len. */
  maxNewTokens: number;
  /** What was assumed (e.g. default alignment heads). */
  warnings: string[];
}

/**
 * Reads the settings of a Whisper folder for one request.
 *
 * @example
 * ```ts
 * const settings = whisperSettings(files, {}); // tiny-whisper's files
 * settings.prompt; // [297, 298, 301, 305]: <|startoftranscript|> <|en|> <|transcribe|> <|notimestamps|>
 * settings.chunkSamples; // 32000 (a 2 s window)
 * settings.alignmentHeads; // [[1, 0], [1, 2]]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a language or task the model does not have; MODEL_FORMAT when a
 * file lacks a key Whisper needs or the keys disagree (e.g. nb_max_frames ≠ 2 × max_source_positions).
 */
export function whisperSettings(
  files: WhisperConfigFiles,
  request: { language?: string; task?: WhisperTask },
): WhisperSettings {
  const { config, generationConfig, preprocessorConfig } = files;
  const read = keyReader(preprocessorConfig, 'preprocessor_config.json');
  const sampleRate = read('sampling_rate');
  const melBins = read('feature_size');
  const fftLength = read('n_fft');
  const hopLength = read('hop_length');
  const chunkSeconds = read('chunk_length');
  const chunkSamples = read('n_samples');
  const melFrames = read('nb_max_frames');
  const encoderFrames = keyReader(config, 'config.json')('max_source_positions');
  if (!isSupportedSampleRate(sampleRate)) throw disagree('sampling_rate is not a usable rate');
  if (chunkSamples !== chunkSeconds * sampleRate)
    throw disagree('n_samples must equal chunk_length × sampling_rate');
  if (melFrames !== Math.floor(chunkSamples / hopLength))
    throw disagree('nb_max_frames must equal n_samples / hop_length');
  if (melFrames !== 2 * encoderFrames)
    throw disagree("nb_max_frames must be twice config.json's max_source_positions");

  const generation = keyReader(generationConfig, 'generation_config.json');
  const endOfTextId = generation('eos_token_id');
  const noTimestampsId = generation('no_timestamps_token_id');
  const vocabSize = keyReader(config, 'config.json')('vocab_size');
  const warnings: string[] = [];
  const { prompt, language } = whisperPrompt(generationConfig, request, noTimestampsId);
  const nonTextTokens: number[] = [];
  for (let id = endOfTextId + 1; id < vocabSize; id++) nonTextTokens.push(id);
  const maxTargetPositions = config['max_target_positions'];
  const medianFilterWidth = config['median_filter_width'] ?? 7;
  if (!(Number.isInteger(medianFilterWidth) && (medianFilterWidth as number) % 2 === 1))
    throw disagree('median_filter_width in config.json must be an odd integer');
  return {
    sampleRate,
    melBins,
    fftLength,
    hopLength,
    chunkSamples,
    chunkSeconds,
    melFrames,
    encoderFrames,
    secondsPerFrame: chunkSeconds / encoderFrames,
    prompt,
    language,
    endOfTextId,
    nonTextTokens,
    alignmentHeads: alignmentHeads(config, generationConfig, warnings),
    medianFilterWidth: medianFilterWidth as number,
    maxNewTokens: typeof maxTargetPositions === 'number' ? Math.floor(maxTargetPositions / 2) : 224,
    warnings,
  };
}

/**
 * The folder's `alignment_heads`, or (as openai/whisper does for models without them) every head of the
 * upper half of the decoder layers, with a warning.
 *
 * @example
 * ```ts
 * alignmentHeads({ decoder_layers: 2, decoder_attention_heads: 2 }, { alignment_heads: [[1, 0]] }, []); // [[1, 0]]
 * alignmentHeads({ decoder_layers: 2, decoder_attention_heads: 2 }, {}, warnings); // [[1, 0], [1, 1]]
 * ```
 * @throws {AttnError} MODEL_FORMAT when a pair is not [layer, head] within the decoder's layers and heads.
 */
export function alignmentHeads(
  config: Record<string, unknown>,
  generationConfig: Record<string, unknown>,
  warnings: string[],
): AlignmentHead[] {
  const read = keyReader(config, 'config.json');
  const layers = read('decoder_layers');
  const heads = read('decoder_attention_heads');
  const pairs = generationConfig['alignment_heads'];
  if (pairs === undefined || pairs === null) {
    warnings.push(
      `generation_config.json has no alignment_heads; word times use every head of decoder layers ${Math.floor(layers / 2)}–${layers - 1}, as openai/whisper does`,
    );
    const all: AlignmentHead[] = [];
    for (let layer = Math.floor(layers / 2); layer < layers; layer++)
      for (let head = 0; head < heads; head++) all.push([layer, head]);
    return all;
  }
  const valid =
    Array.isArray(pairs) &&
    pairs.length > 0 &&
    pairs.every(
      (pair) =>
        Array.isArray(pair) &&
        pair.length === 2 &&
        Number.isInteger(pair[0]) &&
        Number.isInteger(pair[1]) &&
        pair[0] >= 0 &&
        pair[0] < layers &&
        pair[1] >= 0 &&
        pair[1] < heads,
    );
  if (!valid)
    throw new AttnError(
      'MODEL_FORMAT',
      `whisperSettings(): alignment_heads in generation_config.json must be a non-empty list of [layer, head] pairs with layer < ${layers} and head < ${heads}, got ${describeValue(pairs)}`,
      { fix: 'correct alignment_heads, or remove it to use the upper half of the decoder layers' },
    );
  return (pairs as [number, number][]).map(([layer, head]) => [layer, head] as const);
}

/** [<|startoftranscript|>, language, task, <|notimestamps|>] from lang_to_id / task_to_id or forced_decoder_ids. */
function whisperPrompt(
  generationConfig: Record<string, unknown>,
  request: { language?: string; task?: WhisperTask },
  noTimestampsId: number,
): { prompt: number[]; language: string | undefined } {
  const start = keyReader(generationConfig, 'generation_config.json')('decoder_start_token_id');
  const languages = generationConfig['lang_to_id'] as Record<string, number> | undefined;
  const tasks = generationConfig['task_to_id'] as Record<string, number> | undefined;
  const task = request.task ?? 'transcribe';
  if (languages === undefined || tasks === undefined) {
    // English-only models: the prompt is the start token (plus forced ids in older exports), no language
    const forced = (generationConfig['forced_decoder_ids'] ?? []) as [number, number][];
    const ids = [...forced].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
    if (request.language !== undefined && request.language !== 'en')
      throw invalidArgument(
        'transcribe',
        'options.language',
        "'en' or undefined for this English-only model",
        describeValue(request.language),
      );
    if (task !== 'transcribe')
      throw invalidArgument(
        'transcribe',
        'options.task',
        "'transcribe' for this English-only model",
        describeValue(task),
      );
    return {
      prompt: [start, ...ids.filter((id) => id !== noTimestampsId), noTimestampsId],
      language: undefined,
    };
  }
  const codes = Object.keys(languages).map((token) => token.replace(/^<\|(.*)\|>$/, '$1'));
  const language = request.language ?? (codes.includes('en') ? 'en' : codes[0]);
  const languageId = languages[`<|${language}|>`];
  if (languageId === undefined)
    throw invalidArgument(
      'transcribe',
      'options.language',
      `one of the model's languages (${codes.join(', ')})`,
      describeValue(request.language),
    );
  const taskId = tasks[task];
  if (taskId === undefined)
    throw invalidArgument(
      'transcribe',
      'options.task',
      `one of ${Object.keys(tasks).join(', ')}`,
      describeValue(task),
    );
  return { prompt: [start, languageId, taskId, noTimestampsId], language };
}

/** Reads a non-negative number from a config file, or throws MODEL_FORMAT naming the file and key. */
function keyReader(json: Record<string, unknown>, file: string): (key: string) => number {
  return (key) => {
    const value = json[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new AttnError(
        'MODEL_FORMAT',
        `whisperSettings(): ${file} must have a non-negative number ${key}, got ${describeValue(value)}`,
        {
          likelyCause:
            'the folder was exported without the Whisper feature extractor or generation config',
          fix: `add ${key} to ${file} (see Hugging Face's WhisperFeatureExtractor and WhisperGenerationConfig)`,
        },
      );
    return value;
  };
}

function disagree(what: string): AttnError {
  return new AttnError('MODEL_FORMAT', `whisperSettings(): ${what}`, {
    fix: 'correct preprocessor_config.json and config.json of the model folder',
  });
}
