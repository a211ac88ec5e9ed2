// What every pipeline's model source shares (ONNX variant, hub settings, onnxruntime session options): one
// definition, the key its loaded-model cache tells sources apart by, and the load options a model class takes from it.
import { hubIdentity, type HubOptions } from '../hub/index.js';
import type { ModelDtype } from '../model-folder/index.js';
import { checkSessionOptions, optionsKey, type SessionOptions } from '../session/index.js';
import type { LoadModelOptions } from './encoder-decoder-model.js';

/** How a pipeline loads its model, beyond which model: each pipeline adds `model` with its own default. */
export interface ModelSourceSettings {
  /** ONNX variant. Default 'fp32'. */
  dtype?: ModelDtype;
  /** Hub download and cache settings (HF_HOME, HF_HUB_OFFLINE and HF_TOKEN are read by default). */
  hub?: HubOptions;
  /**
   * onnxruntime session options over attn's defaults (`sessionOptions()`: one operator thread per core, threads that
   * spin while a run lasts and stop after it), e.g. `{ intraOpNumThreads: 1 }` for one request at a time on a small machine. Models
   * loaded with other options are separate sessions.
   */
  sessionOptions?: SessionOptions;
}

/**
 * What tells loaded models apart for `model` from `settings`: the model, the variant, the hub settings that pick its
 * files, and the session options; a JSON-serialisable list for a cache key.
 *
 * @throws {AttnError} INVALID_ARGUMENT naming `fn` when `settings.sessionOptions` is not an object.
 * @example
 * ```ts
 * JSON.stringify(modelSourceKey('translate', 'attn/mt-en-de', { sessionOptions: { intraOpNumThreads: 1 } }));
 * // '["attn/mt-en-de","fp32",[null,null,null],"{\"intraOpNumThreads\":1}"]'
 * ```
 */
export function modelSourceKey(
  fn: string,
  model: string,
  settings: ModelSourceSettings,
): unknown[] {
  checkSessionOptions(fn, 'sessionOptions', settings.sessionOptions);
  return [
    model,
    settings.dtype ?? 'fp32',
    hubIdentity(settings.hub),
    optionsKey(settings.sessionOptions ?? {}),
  ];
}

/**
 * The options of a model class's `load` that `settings` give: the variant and the session options, where set.
 *
 * @example
 * ```ts
 * await EncoderDecoderModel.load(folder, { sessions, attention, ...modelLoadSettings(source) });
 * ```
 */
export function modelLoadSettings(
  settings: ModelSourceSettings,
): Pick<LoadModelOptions, 'dtype' | 'sessionOptions'> {
  return {
    ...(settings.dtype === undefined ? {} : { dtype: settings.dtype }),
    ...(settings.sessionOptions === undefined ? {} : { sessionOptions: settings.sessionOptions }),
  };
}
