// Loading a vision model for a pipeline: a shipped `attn/<name>`, a local folder or a Hugging Face hub id, with its
// image processor settings; loaded once per (source, dtype, session options, taps) and shared by every call.
import { AttnError } from '@attn/core-attention';
import {
  EncoderOnlyModel,
  LoadedModels,
  openModelFolder,
  modelLoadSettings,
  modelSourceKey,
  type AttentionKind,
  type ModelConfig,
  type ModelFolder,
  type TapRequest,
  type ModelSourceSettings,
} from '@attn/core-attention/runtime';
import { modelsRoot } from '@attn/models';
import {
  imageProcessorSettings,
  type ImageProcessorSettings,
} from '../preprocess/image-processor-settings.js';

/** How a vision pipeline finds and loads its model. */
export interface VisionModelSource extends ModelSourceSettings {
  /** `attn/<name>` (shipped), a local folder, or a hub id `org/name`. Each pipeline has its default. */
  model?: string;
}

/** A loaded vision model with the settings that turn images into its inputs. */
export interface VisionModel {
  folder: ModelFolder;
  model: EncoderOnlyModel;
  settings: ImageProcessorSettings;
}

/** The attention a pipeline taps: one kind, in its last layer or in all of them. */
export interface VisionTaps {
  kind: AttentionKind;
  layers: 'last' | 'all';
}

const loaded = new LoadedModels<VisionModel>();

/**
 * Loads (once) the encoder-only vision model of `source.model` (or `fallback`) with the attention taps the
 * pipeline needs (none when `taps` is undefined), after checking its model type, and reads its
 * preprocessor_config.json. 'last' taps only the last layer when config.json gives the layer count
 * (`decoder_layers` for cross-attention, `num_hidden_layers` or `encoder_layers` for the encoder) and
 * every layer otherwise, so callers keep the highest layer they get.
 *
 * @example
 * ```ts
 * const { model, settings } = await loadVisionModel('detect', {}, 'attn/detr-shapes', ['detr'], {
 *   kind: 'cross', layers: 'last',
 * });
 * settings.pad; // 'batch'
 * ```
 * @throws {AttnError} MODEL_NOT_FOUND / FILE_NOT_FOUND from the folder lookup (preprocessor_config.json
 * included); UNSUPPORTED for a model type the pipeline does not run; MODEL_FORMAT or UNSUPPORTED for
 * image processor settings @attn/vision cannot follow.
 */
export function loadVisionModel(
  pipeline: string,
  source: VisionModelSource,
  fallback: string,
  supportedTypes: readonly string[],
  taps: VisionTaps | undefined,
): Promise<VisionModel> {
  const key = [...modelSourceKey(pipeline, source.model ?? fallback, source), taps ?? null];
  return loaded.get(key, async (sessions) => {
    const folder = await openModelFolder(source.model ?? fallback, {
      modelsRoot,
      ...(source.hub === undefined ? {} : { hub: source.hub }),
    });
    const type = folder.config.model_type;
    if (!supportedTypes.includes(type)) {
      throw new AttnError(
        'UNSUPPORTED',
        `${pipeline}(): ${folder.source} is a '${type}' model; ${pipeline} runs ${supportedTypes.join(', ')} models`,
        {
          fix: `pass a ${supportedTypes.join(' / ')} model, or leave model unset for ${fallback}`,
        },
      );
    }
    const settings = imageProcessorSettings(
      await folder.readJson('preprocessor_config.json'),
      `${folder.source}/preprocessor_config.json`,
    );
    const model = await EncoderOnlyModel.load(folder, {
      sessions,
      attention: tapRequest(folder.config, taps),
      ...modelLoadSettings(source),
    });
    return { folder, model, settings };
  });
}

function tapRequest(config: ModelConfig, taps: VisionTaps | undefined): TapRequest {
  if (taps === undefined) return {};
  const count =
    taps.kind === 'encoder_self'
      ? (config['num_hidden_layers'] ?? config['encoder_layers'])
      : config['decoder_layers'];
  const last = Number.isInteger(count) && (count as number) > 0 ? (count as number) - 1 : undefined;
  return { [taps.kind]: taps.layers === 'last' && last !== undefined ? [last] : 'all' };
}

/**
 * Releases every model the vision pipelines loaded (their onnxruntime sessions).
 *
 * @example
 * ```ts
 * await disposeVisionModels();
 * ```
 */
export async function disposeVisionModels(): Promise<void> {
  await loaded.dispose();
}
