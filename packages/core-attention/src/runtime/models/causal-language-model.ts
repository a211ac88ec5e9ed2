// A decoder-only model (gpt2 and most LLM exports) in the Optimum layout: prompts of any lengths
// left-padded into one batch, generated from with any search algorithm, its tapped attention kept.
import { AttnError, describeValue, invalidArgument } from '../../errors/index.js';
import {
  generate,
  generationOptionsFromConfig,
  logSumExp,
  streamGenerate,
  type GenerationEvent,
  type GenerationOptions,
  type GenerationRequest,
  type GenerationResult,
  type GenerationStep,
} from '../generation/index.js';
import type { ModelFolder } from '../model-folder/index.js';
import { SessionCache, type ModelSession } from '../session/index.js';
import { CausalLmStepper } from './causal-lm-stepper.js';
import type { LoadModelOptions } from './encoder-decoder-model.js';
import type { AttentionStepResult } from './encoder-decoder-stepper.js';

/** What {@link CausalLanguageModel.generate} returns. */
export interface CausalGeneration extends GenerationResult {
  /** Every step's stepper result; step 0 covers the (left-padded) prompts. */
  stepResults: GenerationStep<AttentionStepResult>[];
  /** Left padding added to each input row, so prompt position p of row r is query p + padding[r] of step 0. */
  padding: number[];
}

/** What {@link CausalLanguageModel.stream} yields: each step's new tokens, then the full generation. */
export type CausalGenerationEvent =
  Extract<GenerationEvent, { kind: 'tokens' }> | { kind: 'done'; result: CausalGeneration };

/**
 * An ONNX decoder-only language model with generation defaults from generation_config.json.
 *
 * @example
 * ```ts
 * const model = await CausalLanguageModel.load(await openModelFolder('attn/chat-dailydialog', { modelsRoot }));
 * const run = await model.generate([[15496, 995]], { maxNewTokens: 20 });
 * run.sequences[0][0].tokens; // the reply's ids
 * ```
 */
export class CausalLanguageModel {
  readonly defaults: GenerationOptions;

  private constructor(
    readonly folder: ModelFolder,
    private readonly session: ModelSession,
    private readonly sessions: SessionCache,
    private readonly ownsSessions: boolean,
  ) {
    const { eos_token_id, bos_token_id, pad_token_id } = folder.config;
    this.defaults = generationOptionsFromConfig({
      ...(eos_token_id === undefined ? {} : { eos_token_id }),
      ...(bos_token_id === undefined ? {} : { bos_token_id }),
      ...(pad_token_id === undefined ? {} : { pad_token_id }),
      ...(folder.generationConfig ?? {}),
    });
  }

  /**
   * Opens the model's `model` session (taps: `{ decoder_self: 'all' }` or chosen layers).
   *
   * @throws {AttnError} UNSUPPORTED when the folder is not a decoder-only model.
   */
  static async load(
    folder: ModelFolder,
    options: LoadModelOptions = {},
  ): Promise<CausalLanguageModel> {
    if (folder.architecture.family !== 'decoder-only') {
      throw new AttnError(
        'UNSUPPORTED',
        `CausalLanguageModel.load(): ${folder.source} has model_type '${folder.config.model_type}' (${folder.architecture.family}); CausalLanguageModel runs decoder-only models`,
        { fix: 'use a decoder-only model such as gpt2' },
      );
    }
    const sessions = options.sessions ?? new SessionCache();
    const session = await sessions.get(await folder.onnxPath('model', options.dtype ?? 'fp32'), {
      ...(options.attention === undefined ? {} : { taps: options.attention }),
      ...(options.sessionOptions === undefined ? {} : { sessionOptions: options.sessionOptions }),
    });
    return new CausalLanguageModel(folder, session, sessions, options.sessions === undefined);
  }

  /**
   * Generates a continuation of every prompt (token ids, any lengths).
   *
   * @throws {AttnError} INVALID_ARGUMENT for an empty batch or prompt; ABORTED when `request.signal` fires.
   */
  async generate(
    promptIds: readonly (readonly number[])[],
    request: GenerationRequest<AttentionStepResult> & { useCache?: boolean } = {},
  ): Promise<CausalGeneration> {
    const { stepper, generation, stepResults, padding } = this.prepare(
      'generate',
      promptIds,
      request,
    );
    return { ...(await generate(stepper, generation)), stepResults, padding };
  }

  /**
   * Like {@link generate}, streamed: yields the new token of every row after each step of greedy search or
   * sampling (`streamGenerate`'s events; beam search yields only the end), then `{ kind: 'done', result }`.
   * Leaving the loop early stops decoding.
   *
   * @example
   * ```ts
   * for await (const event of model.stream([[15496, 995]], { maxNewTokens: 20 })) {
   *   if (event.kind === 'tokens') process.stdout.write(tokenizer.decode(event.tokens.filter((t) => t !== null)));
   *   else event.result.sequences[0][0].finishReason; // 'eos' or 'max_length'
   * }
   * ```
   * @throws {AttnError} INVALID_ARGUMENT for an empty batch or prompt or bad options; ABORTED when `request.signal` fires.
   */
  async *stream(
    promptIds: readonly (readonly number[])[],
    request: GenerationRequest<AttentionStepResult> & { useCache?: boolean } = {},
  ): AsyncGenerator<CausalGenerationEvent, void> {
    const { stepper, generation, stepResults, padding } = this.prepare(
      'stream',
      promptIds,
      request,
    );
    for await (const event of streamGenerate(stepper, generation)) {
      yield event.kind === 'done'
        ? { kind: 'done', result: { ...event.result, stepResults, padding } }
        : event;
    }
  }

  /**
   * The log-probability of each token of `continuationIds` after `promptIds` (teacher forcing, one step per
   * token with the KV cache): entry i is log p(continuation[i] | prompt, continuation[0..i-1]). Perplexity is
   * exp(−mean).
   *
   * @example
   * ```ts
   * const logProbabilities = await model.scoreContinuation([15496, 50256], [40, 1101, 50256]);
   * Math.exp(-logProbabilities.reduce((sum, value) => sum + value, 0) / logProbabilities.length); // perplexity
   * ```
   * @throws {AttnError} INVALID_ARGUMENT when either list is empty or holds something other than token ids.
   */
  async scoreContinuation(
    promptIds: readonly number[],
    continuationIds: readonly number[],
  ): Promise<number[]> {
    const vocabSize = this.numberFromConfig('vocab_size');
    for (const [name, ids] of [
      ['promptIds', promptIds],
      ['continuationIds', continuationIds],
    ] as const) {
      const valid =
        Array.isArray(ids) &&
        ids.length > 0 &&
        ids.every((id) => Number.isInteger(id) && id >= 0 && id < vocabSize);
      if (!valid) {
        throw invalidArgument(
          'scoreContinuation',
          name,
          `a non-empty array of token ids in [0, ${vocabSize})`,
          describeValue(ids),
        );
      }
    }
    const stepper = new CausalLmStepper({
      session: this.session,
      vocabSize,
      promptLengths: [promptIds.length],
      ...this.headSizes(),
    });
    const logProbabilities: number[] = [];
    let input = [...promptIds];
    for (const token of continuationIds) {
      const { logits } = await stepper.step([input]);
      const row = logits.subarray(0, vocabSize);
      logProbabilities.push((row[token] as number) - logSumExp(row));
      input = [token];
    }
    return logProbabilities;
  }

  /** The stepper and the full request of one generation run; `stepResults` fills as it runs. */
  private prepare(
    fn: string,
    promptIds: readonly (readonly number[])[],
    request: GenerationRequest<AttentionStepResult> & { useCache?: boolean },
  ): {
    stepper: CausalLmStepper;
    generation: GenerationRequest<AttentionStepResult>;
    stepResults: GenerationStep<AttentionStepResult>[];
    padding: number[];
  } {
    if (
      !Array.isArray(promptIds) ||
      promptIds.length === 0 ||
      promptIds.some((row) => !Array.isArray(row) || row.length === 0)
    ) {
      throw invalidArgument(
        fn,
        'promptIds',
        'a non-empty array of non-empty id arrays',
        describeValue(promptIds),
      );
    }
    const { useCache, onStep, ...options } = request;
    const length = Math.max(...promptIds.map((row) => row.length));
    const pad = options.padTokenId ?? this.defaults.padTokenId ?? 0;
    const padding = promptIds.map((row) => length - row.length);
    const stepper = new CausalLmStepper({
      session: this.session,
      vocabSize: this.numberFromConfig('vocab_size'),
      promptLengths: promptIds.map((row) => row.length),
      ...this.headSizes(),
      ...(useCache === undefined ? {} : { useCache }),
    });
    const stepResults: GenerationStep<AttentionStepResult>[] = [];
    const generation: GenerationRequest<AttentionStepResult> = {
      ...this.defaults,
      ...options,
      prompt: promptIds.map((row, r) => [
        ...new Array<number>(padding[r] as number).fill(pad),
        ...row,
      ]),
      onStep: (step) => {
        stepResults.push(step);
        onStep?.(step);
      },
    };
    return { stepper, generation, stepResults, padding };
  }

  /** Releases the session, when this model created its own session cache. */
  async dispose(): Promise<void> {
    if (this.ownsSessions) await this.sessions.dispose();
  }

  private numberFromConfig(name: string): number {
    const value = this.folder.config[name];
    if (typeof value !== 'number') {
      throw new AttnError(
        'MODEL_FORMAT',
        `CausalLanguageModel: config.json of ${this.folder.source} has no numeric ${name}`,
      );
    }
    return value;
  }

  private headSizes(): { heads?: number; headDim?: number } {
    const { config } = this.folder;
    const heads = config['n_head'] ?? config['num_attention_heads'];
    const hidden = config['n_embd'] ?? config['hidden_size'];
    if (typeof heads !== 'number') return {};
    return typeof hidden === 'number' ? { heads, headDim: hidden / heads } : { heads };
  }
}
