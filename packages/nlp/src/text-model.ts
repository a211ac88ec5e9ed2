// Loading a text model for a pipeline: our shipped models by `attn/<name>`, a local folder, or a Hugging Face
// hub id, with its tokenizer; loaded once per (source, options) and shared by every call.
import { AttnError } from '@attn/core-attention';
import {
  CausalLanguageModel,
  EncoderDecoderModel,
  EncoderOnlyModel,
  LoadedModels,
  loadTokenizer,
  openModelFolder,
  modelLoadSettings,
  modelSourceKey,
  type ModelFolder,
  type TapRequest,
  type TextTokenizer,
  type ModelSourceSettings,
} from '@attn/core-attention/runtime';
import { modelsRoot } from '@attn/models';

/** How a pipeline finds and loads its model. */
export interface ModelSource extends ModelSourceSettings {
  /** `attn/<name>` (shipped), a local folder, or a hub id `org/name`. Each pipeline has its default. */
  model?: string;
}

/** A loaded text model and its tokenizer. */
export interface TextModel<Model> {
  folder: ModelFolder;
  model: Model;
  tokenizer: TextTokenizer;
}

const loaded = new LoadedModels<TextModel<unknown>>();

/**
 * The folder of `source.model` (or `fallback`), checked against the model types the pipeline supports.
 *
 * @example
 * ```ts
 * const folder = await openTextModelFolder('translate', { model: 'attn/mt-en-de' }, 'attn/mt-en-de', ['marian']);
 * ```
 * @throws {AttnError} MODEL_NOT_FOUND / FILE_NOT_FOUND from the folder lookup; UNSUPPORTED for another model type.
 */
export async function openTextModelFolder(
  pipeline: string,
  source: ModelSource,
  fallback: string,
  supportedTypes: readonly string[],
): Promise<ModelFolder> {
  const folder = await openModelFolder(source.model ?? fallback, {
    modelsRoot,
    ...(source.hub === undefined ? {} : { hub: source.hub }),
  });
  if (!supportedTypes.includes(folder.config.model_type)) {
    throw new AttnError(
      'UNSUPPORTED',
      `${pipeline}(): ${folder.source} is a '${folder.config.model_type}' model; ${pipeline} runs ${supportedTypes.join(', ')} models`,
      { fix: `pass a ${supportedTypes.join(' / ')} model, or leave model unset for ${fallback}` },
    );
  }
  return folder;
}

/** The model class behind each kind of text model. */
interface TextModelKinds {
  seq2seq: EncoderDecoderModel;
  causal: CausalLanguageModel;
  encoder: EncoderOnlyModel;
}

/**
 * Loads (once) an encoder–decoder, decoder-only or encoder-only text model with the attention taps the
 * pipeline needs.
 *
 * @example
 * ```ts
 * const { model, tokenizer } = await loadTextModel('translate', {}, 'attn/mt-en-de', ['marian'], 'seq2seq', { cross: 'all' });
 * const qa = await loadTextModel('answer', {}, 'attn/qa-captions', ['bert'], 'encoder', { encoder_self: 'all' });
 * ```
 * @throws {AttnError} as {@link openTextModelFolder}; FILE_NOT_FOUND when the folder lacks its ONNX files.
 */
export function loadTextModel<Kind extends keyof TextModelKinds>(
  pipeline: string,
  source: ModelSource,
  fallback: string,
  supportedTypes: readonly string[],
  kind: Kind,
  attention: TapRequest,
): Promise<TextModel<TextModelKinds[Kind]>> {
  const key = [...modelSourceKey(pipeline, source.model ?? fallback, source), kind, attention];
  return loaded.get(key, async (sessions) => {
    const folder = await openTextModelFolder(pipeline, source, fallback, supportedTypes);
    const options = {
      sessions,
      attention,
      ...modelLoadSettings(source),
    };
    const modelClass = {
      seq2seq: EncoderDecoderModel,
      causal: CausalLanguageModel,
      encoder: EncoderOnlyModel,
    }[kind];
    const [model, tokenizer] = await Promise.all([
      modelClass.load(folder, options),
      loadTokenizer(folder),
    ]);
    return { folder, model, tokenizer };
  }) as Promise<TextModel<TextModelKinds[Kind]>>;
}

/**
 * Releases every model the pipelines loaded (their onnxruntime sessions).
 *
 * @example
 * ```ts
 * await disposeTextModels();
 * ```
 */
export async function disposeTextModels(): Promise<void> {
  await loaded.dispose();
}
