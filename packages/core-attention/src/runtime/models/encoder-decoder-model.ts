// An encoder–decoder model (marian, bart, t5, whisper, …) in the Optimum layout, or a recurrent one
// (attn-gru): the encoder run once, the decoder generated from with any search algorithm, and the
// tapped attention of every step kept.
import { AttnError, describeValue, invalidArgument } from '../../errors/index.js';
import { createTensor, type Tensor } from '../../tensor/index.js';
import {
  generate,
  generationOptionsFromConfig,
  type GenerationOptions,
  type GenerationRequest,
  type GenerationResult,
  type GenerationStep,
} from '../generation/index.js';
import type { ModelDtype, ModelFolder } from '../model-folder/index.js';
import { SessionCache, type ModelSession, type SessionOptions } from '../session/index.js';
import type { TapRequest } from '../taps/index.js';
import {
  EncoderDecoderStepper,
  type AttentionStepResult,
  type EncoderOutput,
} from './encoder-decoder-stepper.js';
import { RecurrentDecoderStepper, recurrentStateSlots } from './recurrent-decoder-stepper.js';

export interface LoadModelOptions {
  /** Shared session cache; default one per model. */
  sessions?: SessionCache;
  /** Which ONNX variant to load. Default 'fp32'. */
  dtype?: ModelDtype;
  /** Attention to tap from the decoder (cross, decoder_self) and the encoder (encoder_self). Default none. */
  attention?: TapRequest;
  /** onnxruntime session options for this model's sessions, over the cache's (see sessionOptions()). */
  sessionOptions?: SessionOptions;
}

/** What {@link EncoderDecoderModel.generate} returns. */
export interface Seq2SeqGeneration extends GenerationResult {
  /** Every step's stepper result, for stitching each sequence's attention (see sequenceAttention). */
  stepResults: GenerationStep<AttentionStepResult>[];
  /** The encoder's output and tapped self-attention ('attn.encoder_self.{layer}'). */
  encoder: EncoderOutput & { attention: Map<string, Tensor<'float32'>> };
}

/**
 * An ONNX encoder–decoder with its generation defaults from generation_config.json.
 *
 * @example
 * ```ts
 * const model = await EncoderDecoderModel.load(await openModelFolder('attn/mt-en-de', { modelsRoot }), {
 *   attention: { cross: 'all' },
 * });
 * const run = await model.generate([[42, 17, 0]], { numBeams: 4 });
 * run.sequences[0][0].tokens; // e.g. [311, 25, 0]
 * ```
 */
export class EncoderDecoderModel {
  /** Generation settings from the folder's generation_config.json (or config.json), overridable per call. */
  readonly defaults: GenerationOptions;

  private constructor(
    readonly folder: ModelFolder,
    private readonly encoder: ModelSession,
    private readonly decoder: ModelSession,
    private readonly withPast: ModelSession | undefined,
    private readonly sessions: SessionCache,
    private readonly ownsSessions: boolean,
  ) {
    this.defaults = generationOptionsFromConfig({
      ...pick(folder.config, [
        'decoder_start_token_id',
        'eos_token_id',
        'pad_token_id',
        'forced_eos_token_id',
        'bos_token_id',
      ]),
      ...(folder.generationConfig ?? {}),
    });
  }

  /**
   * Opens the encoder and decoder sessions of `folder`: a merged decoder when the folder has one, else
   * the decoder + decoder-with-past pair.
   *
   * @throws {AttnError} UNSUPPORTED when the folder is not an encoder–decoder; FILE_NOT_FOUND when it lacks the ONNX files.
   */
  static async load(
    folder: ModelFolder,
    options: LoadModelOptions = {},
  ): Promise<EncoderDecoderModel> {
    if (folder.architecture.family !== 'encoder-decoder') {
      throw new AttnError(
        'UNSUPPORTED',
        `EncoderDecoderModel.load(): ${folder.source} has model_type '${folder.config.model_type}' (${folder.architecture.family}); EncoderDecoderModel runs encoder-decoder models`,
        { fix: 'use a seq2seq model such as marian, bart, t5 or whisper' },
      );
    }
    const sessions = options.sessions ?? new SessionCache();
    const dtype = options.dtype ?? 'fp32';
    const { encoder_self: encoderSelf, ...decoderTaps } = options.attention ?? {};
    const settings =
      options.sessionOptions === undefined ? {} : { sessionOptions: options.sessionOptions };
    const encoder = await sessions.get(await folder.onnxPath('encoder_model', dtype), {
      ...settings,
      ...(encoderSelf === undefined ? {} : { taps: { encoder_self: encoderSelf } }),
    });
    const decoderOptions = {
      ...settings,
      ...(Object.keys(decoderTaps).length === 0 ? {} : { taps: decoderTaps }),
    };
    const merged = await folder.onnxPath('decoder_model_merged', dtype).catch((error: unknown) => {
      if (AttnError.is(error) && error.code === 'FILE_NOT_FOUND') return undefined;
      throw error;
    });
    if (merged !== undefined) {
      const decoder = await sessions.get(merged, decoderOptions);
      return new EncoderDecoderModel(
        folder,
        encoder,
        decoder,
        undefined,
        sessions,
        options.sessions === undefined,
      );
    }
    const decoder = await sessions.get(
      await folder.onnxPath('decoder_model', dtype),
      decoderOptions,
    );
    const withPast = await sessions.get(
      await folder.onnxPath('decoder_with_past_model', dtype),
      decoderOptions,
    );
    return new EncoderDecoderModel(
      folder,
      encoder,
      decoder,
      withPast,
      sessions,
      options.sessions === undefined,
    );
  }

  /**
   * Runs the encoder on a batch of token ids, right-padded with the pad id to the longest row.
   *
   * @throws {AttnError} INVALID_ARGUMENT for an empty batch or an empty row.
   */
  async encode(sourceIds: readonly (readonly number[])[]): Promise<Seq2SeqGeneration['encoder']> {
    if (
      !Array.isArray(sourceIds) ||
      sourceIds.length === 0 ||
      sourceIds.some((row) => !Array.isArray(row) || row.length === 0)
    ) {
      throw invalidArgument(
        'encode',
        'sourceIds',
        'a non-empty array of non-empty id arrays',
        describeValue(sourceIds),
      );
    }
    const length = Math.max(...sourceIds.map((row) => row.length));
    const pad = this.defaults.padTokenId ?? 0;
    const ids = new BigInt64Array(sourceIds.length * length);
    const mask = new BigInt64Array(sourceIds.length * length);
    sourceIds.forEach((row, r) => {
      for (let i = 0; i < length; i++) {
        ids[r * length + i] = BigInt(row[i] ?? pad);
        mask[r * length + i] = i < row.length ? 1n : 0n;
      }
    });
    const attentionMask = createTensor('int64', [sourceIds.length, length], mask);
    return this.runEncoder(
      {
        input_ids: createTensor('int64', [sourceIds.length, length], ids),
        attention_mask: attentionMask,
      },
      attentionMask,
    );
  }

  /**
   * Runs the encoder of a speech model (whisper) on log-mel features [batch, mels, frames].
   *
   * @example
   * ```ts
   * const encoded = await model.encodeFeatures(createTensor('float32', [1, 80, 3000], whisperLogMel(samples).data));
   * encoded.hiddenStates.dims; // [1, 1500, 384]
   * ```
   * @throws {AttnError} INVALID_ARGUMENT when `inputFeatures` is not a float32 tensor of rank 3.
   */
  async encodeFeatures(inputFeatures: Tensor<'float32'>): Promise<Seq2SeqGeneration['encoder']> {
    if (inputFeatures?.type !== 'float32' || inputFeatures.dims.length !== 3) {
      throw invalidArgument(
        'encodeFeatures',
        'inputFeatures',
        'a float32 tensor [batch, mels, frames]',
        describeValue(inputFeatures?.dims),
      );
    }
    return this.runEncoder({ input_features: inputFeatures });
  }

  private async runEncoder(
    feeds: Record<string, Tensor>,
    attentionMask?: Tensor<'int64'>,
  ): Promise<Seq2SeqGeneration['encoder']> {
    const { outputs, attention } = await this.encoder.run(feeds, { numHeads: this.heads() });
    const hiddenStates = outputs['last_hidden_state'] as Tensor<'float32'>;
    const [batch, length] = hiddenStates.dims as [number, number];
    return {
      hiddenStates,
      // speech encoders attend to every frame
      attentionMask:
        attentionMask ??
        createTensor('int64', [batch, length], new BigInt64Array(batch * length).fill(1n)),
      attention,
    };
  }

  /**
   * Encodes `sourceIds` and generates from the decoder (greedy, beam search or sampling, as `request` says,
   * over the folder's defaults). `useCache: false` re-feeds the whole prefix each step (for checking the cache).
   *
   * @throws {AttnError} INVALID_ARGUMENT for bad ids or options; ABORTED when `request.signal` fires.
   */
  async generate(
    sourceIds: readonly (readonly number[])[],
    request: GenerationRequest<AttentionStepResult> & { useCache?: boolean } = {},
  ): Promise<Seq2SeqGeneration> {
    return this.generateFrom(await this.encode(sourceIds), request);
  }

  /**
   * Generates from an encoder output (from {@link encode} or {@link encodeFeatures}); without `request.prompt`, every
   * row starts from the decoder start token.
   *
   * @throws {AttnError} INVALID_ARGUMENT for bad options; ABORTED when `request.signal` fires.
   */
  async generateFrom(
    encoder: Seq2SeqGeneration['encoder'],
    request: GenerationRequest<AttentionStepResult> & { useCache?: boolean } = {},
  ): Promise<Seq2SeqGeneration> {
    const { useCache, onStep, ...options } = request;
    const cacheMode = useCache === undefined ? {} : { useCache };
    const recurrent =
      recurrentStateSlots(this.decoder.session.inputMetadata, this.decoder.outputNames).length > 0;
    const stepper = recurrent
      ? new RecurrentDecoderStepper(encoder, {
          decoder: this.decoder,
          vocabSize: this.vocabSize(),
          ...cacheMode,
        })
      : new EncoderDecoderStepper(encoder, {
          decoder: this.decoder,
          ...(this.withPast === undefined ? {} : { withPast: this.withPast }),
          vocabSize: this.vocabSize(),
          heads: this.heads(),
          headDim: this.headDim(),
          ...cacheMode,
        });
    const start = options.decoderStartTokenId ?? this.defaults.decoderStartTokenId;
    const rows = encoder.hiddenStates.dims[0] as number;
    const stepResults: GenerationStep<AttentionStepResult>[] = [];
    const result = await generate(stepper, {
      ...this.defaults,
      ...(start === undefined || options.prompt !== undefined
        ? {}
        : { prompt: Array.from({ length: rows }, () => [start]) }),
      ...options,
      onStep: (step) => {
        stepResults.push(step);
        onStep?.(step);
      },
    });
    return { ...result, stepResults, encoder };
  }

  /** Releases the sessions, when this model created its own session cache. */
  async dispose(): Promise<void> {
    if (this.ownsSessions) await this.sessions.dispose();
  }

  private vocabSize(): number {
    const size = this.folder.config['vocab_size'];
    if (typeof size !== 'number') {
      throw new AttnError(
        'MODEL_FORMAT',
        `EncoderDecoderModel: config.json of ${this.folder.source} has no numeric vocab_size`,
      );
    }
    return size;
  }

  private heads(): number | undefined {
    const { config } = this.folder;
    const value =
      config['decoder_attention_heads'] ?? config['num_heads'] ?? config['num_attention_heads'];
    return typeof value === 'number' ? value : undefined;
  }

  private headDim(): number | undefined {
    const { config } = this.folder;
    if (typeof config['d_kv'] === 'number') return config['d_kv'];
    const heads = this.heads();
    return typeof config['d_model'] === 'number' && heads !== undefined
      ? config['d_model'] / heads
      : undefined;
  }
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]),
  );
}
