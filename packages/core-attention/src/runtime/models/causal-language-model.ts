// A decoder-only model (gpt2 and most LLM exports) in the Optimum layout: prompts of any lengths
// left-padded into one batch, generated from with any search algorithm, its tapped attention kept.
import { AttnError, describeValue, invalidArgument } from '../../errors/index.js';
import {
  generate,
  generationOptionsFromConfig,
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
    if (
      !Array.isArray(promptIds) ||
      promptIds.length === 0 ||
      promptIds.some((row) => !Array.isArray(row) || row.length === 0)
    ) {
      throw invalidArgument(
        'generate',
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
    const result = await generate(stepper, {
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
    });
    return { ...result, stepResults, padding };
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
