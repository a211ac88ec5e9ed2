// An encoder-only model (bert, distilbert, roberta, vit, detr, …) in the Optimum layout: one `model` session
// run on named inputs, with the attention of its tapped layers.
import type * as ort from 'onnxruntime-node';
import { AttnError } from '../../errors/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { ModelFolder } from '../model-folder/index.js';
import { SessionCache, type ModelSession } from '../session/index.js';
import type { LoadModelOptions } from './encoder-decoder-model.js';

/** What {@link EncoderOnlyModel.run} returns. */
export interface EncoderRun {
  /** The graph's own outputs by name (logits, start_logits, pred_boxes, last_hidden_state, …). */
  outputs: Record<string, ort.Tensor>;
  /** Tapped attention by tap name ('attn.encoder_self.{layer}', 'attn.decoder_self.{layer}', 'attn.cross.{layer}'). */
  attention: Map<string, Tensor<'float32'>>;
}

/**
 * An ONNX encoder-only model.
 *
 * @example
 * ```ts
 * const model = await EncoderOnlyModel.load(await openModelFolder('attn/qa-captions', { modelsRoot }), {
 *   attention: { encoder_self: 'all' },
 * });
 * const { outputs, attention } = await model.run({ input_ids, attention_mask, token_type_ids });
 * outputs.start_logits.dims; // [1, 19]
 * attention.get('attn.encoder_self.0')?.dims; // [1, 4, 19, 19]
 * ```
 */
export class EncoderOnlyModel {
  private constructor(
    readonly folder: ModelFolder,
    readonly session: ModelSession,
    private readonly sessions: SessionCache,
    private readonly ownsSessions: boolean,
  ) {}

  /**
   * Opens the folder's `model` session with the requested taps (DETR's decoder self and cross attention included).
   *
   * @throws {AttnError} UNSUPPORTED when the folder is not an encoder-only model; FILE_NOT_FOUND without its ONNX file.
   */
  static async load(
    folder: ModelFolder,
    options: LoadModelOptions = {},
  ): Promise<EncoderOnlyModel> {
    if (folder.architecture.family !== 'encoder-only') {
      throw new AttnError(
        'UNSUPPORTED',
        `EncoderOnlyModel.load(): ${folder.source} has model_type '${folder.config.model_type}' (${folder.architecture.family}); EncoderOnlyModel runs encoder-only models`,
        { fix: 'use an encoder-only model such as bert, vit or detr' },
      );
    }
    const sessions = options.sessions ?? new SessionCache();
    const session = await sessions.get(await folder.onnxPath('model', options.dtype ?? 'fp32'), {
      ...(options.attention === undefined ? {} : { taps: options.attention }),
      ...(options.sessionOptions === undefined ? {} : { sessionOptions: options.sessionOptions }),
    });
    return new EncoderOnlyModel(folder, session, sessions, options.sessions === undefined);
  }

  /**
   * Runs the model; inputs it does not take are ignored.
   *
   * @throws {AttnError} INVALID_ARGUMENT for a missing input or a wrong element type; RUNTIME when onnxruntime fails.
   */
  async run(feeds: Readonly<Record<string, Tensor>>): Promise<EncoderRun> {
    const heads =
      this.folder.config['num_attention_heads'] ?? this.folder.config['encoder_attention_heads'];
    return this.session.run(feeds, typeof heads === 'number' ? { numHeads: heads } : {});
  }

  /** Releases the session, when this model created its own session cache. */
  async dispose(): Promise<void> {
    if (this.ownsSessions) await this.sessions.dispose();
  }
}
