// Sessions created once and reused: one onnxruntime session per (model file or bytes, session options, taps),
// created on first request and released together by dispose().
import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AttnError, describeValue, invalidArgument } from '../../errors/index.js';
import {
  normalizeTapRequest,
  tapModel,
  type FindAttentionOptions,
  type TapRequest,
} from '../taps/index.js';
import { externalDataOptions } from './external-data-options.js';
import { ModelSession } from './model-session.js';
import { creationError } from './ort-error.js';
import {
  checkSessionOptions,
  mergeSessionOptions,
  optionsKey,
  sessionOptions,
  type SessionOptions,
} from './session-options.js';

/** Options of {@link SessionCache}. */
export interface SessionCacheOptions {
  /** Session options for every session, over the defaults of sessionOptions(). */
  sessionOptions?: SessionOptions;
  /** Folder of tapped models; see tapModel. */
  tapCacheDir?: string;
}

/** Options of {@link SessionCache.get}. */
export interface GetSessionOptions extends FindAttentionOptions {
  /** Attention layers to tap; omitted or empty runs the model file unchanged. */
  taps?: TapRequest;
  /** Session options for this model, over the cache's. */
  sessionOptions?: SessionOptions;
}

/**
 * Creates each session once and hands the same one out again.
 *
 * @example
 * ```ts
 * const sessions = new SessionCache();
 * const encoder = await sessions.get('/models/mt-en-de/onnx/encoder_model.onnx');
 * (await sessions.get('/models/mt-en-de/onnx/encoder_model.onnx')) === encoder; // true
 * await sessions.dispose(); // releases every session
 * ```
 */
export class SessionCache {
  private readonly sessions = new Map<string, Promise<ModelSession>>();

  constructor(private readonly options: SessionCacheOptions = {}) {
    checkSessionOptions('SessionCache', 'options.sessionOptions', options.sessionOptions);
  }

  /**
   * The session for `model` (a file path, or the bytes of an .onnx file), created on first request.
   *
   * @example
   * ```ts
   * const decoder = await sessions.get(await folder.onnxPath('decoder_model_merged'), { taps: { cross: 'all' } });
   * decoder.taps.map((tap) => tap.name); // ['attn.cross.0', 'attn.cross.1', …]
   * ```
   * @throws {AttnError} INVALID_ARGUMENT for a bad model argument, tap request or session options (also those
   *   onnxruntime refuses); FILE_NOT_FOUND for a missing file;
   * MODEL_FORMAT when onnxruntime cannot load it; RUNTIME for other onnxruntime failures; UNSUPPORTED for taps on
   * fused attention it cannot recover.
   */
  async get(model: string | Uint8Array, options: GetSessionOptions = {}): Promise<ModelSession> {
    if (typeof model !== 'string' && !(model instanceof Uint8Array)) {
      throw invalidArgument(
        'SessionCache.get',
        'model',
        'a file path or the bytes of an .onnx file',
        describeValue(model),
      );
    }
    const taps = normalizeTapRequest(options.taps ?? {});
    checkSessionOptions('SessionCache.get', 'options.sessionOptions', options.sessionOptions);
    const settings = sessionOptions(
      mergeSessionOptions(this.options.sessionOptions, options.sessionOptions),
    );
    const identity =
      typeof model === 'string'
        ? `file:${resolve(model)}`
        : `bytes:${createHash('sha256').update(model).digest('hex')}`;
    const key = optionsKey({ identity, settings, taps, selfAttention: options.selfAttention });
    const existing = this.sessions.get(key);
    if (
      existing !== undefined &&
      !(await existing.then(
        (session) => session.isDisposed,
        () => true,
      ))
    )
      return existing;
    const created = this.create(model, taps, settings, options);
    this.sessions.set(key, created);
    created.catch(() => this.sessions.delete(key));
    return created;
  }

  /** Number of sessions held. */
  get size(): number {
    return this.sessions.size;
  }

  /** Releases every session and empties the cache. */
  async dispose(): Promise<void> {
    const pending = [...this.sessions.values()];
    this.sessions.clear();
    const settled = await Promise.allSettled(pending);
    await Promise.all(
      settled.map((result) => (result.status === 'fulfilled' ? result.value.dispose() : undefined)),
    );
  }

  private async create(
    model: string | Uint8Array,
    taps: TapRequest,
    settings: ort.InferenceSession.SessionOptions,
    options: GetSessionOptions,
  ): Promise<ModelSession> {
    const label = typeof model === 'string' ? model : 'model bytes';
    if (
      typeof model === 'string' &&
      !(await access(model).then(
        () => true,
        () => false,
      ))
    ) {
      throw new AttnError('FILE_NOT_FOUND', `SessionCache.get(): no model file at ${model}`, {
        fix: 'check the path, or open the model with openModelFolder() which lists what a folder holds',
      });
    }
    if (Object.keys(taps).length === 0)
      return new ModelSession(await createSession(model, settings, label), label, []);
    const tapped = await tapModel(model, taps, {
      ...(this.options.tapCacheDir === undefined ? {} : { cacheDir: this.options.tapCacheDir }),
      ...pickSelfAttention(options),
    });
    const external = await externalDataOptions(tapped);
    const merged = mergeSessionOptions(settings, external);
    return new ModelSession(
      await createSession(tapped.modelPath, merged, `${label} (tapped as ${tapped.modelPath})`),
      tapped.modelPath,
      tapped.taps,
    );
  }
}

async function createSession(
  model: string | Uint8Array,
  settings: ort.InferenceSession.SessionOptions,
  label: string,
): Promise<ort.InferenceSession> {
  try {
    return typeof model === 'string'
      ? await ort.InferenceSession.create(model, settings)
      : await ort.InferenceSession.create(model, settings);
  } catch (error) {
    throw creationError(error, label);
  }
}

function pickSelfAttention(options: FindAttentionOptions): FindAttentionOptions {
  return options.selfAttention === undefined ? {} : { selfAttention: options.selfAttention };
}
