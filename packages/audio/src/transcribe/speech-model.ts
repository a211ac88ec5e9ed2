// Loading a Whisper model for transcribe(): attn's shipped models by `attn/<name>`, a local folder or a
// Hugging Face hub id, with its tokenizer and configs; the decoder's cross-attention is tapped for the layers
// of the alignment heads only. Loaded once per (source, dtype, session options) and shared by every call.
import { AttnError } from '@attn/core-attention';
import {
  EncoderDecoderModel,
  LoadedModels,
  loadTokenizer,
  openModelFolder,
  modelLoadSettings,
  modelSourceKey,
  type ModelFolder,
  type SessionCache,
  type TextTokenizer,
  type ModelSourceSettings,
} from '@attn/core-attention/runtime';
import { modelsRoot } from '@attn/models';
import { alignmentHeads, type WhisperConfigFiles } from './whisper-settings.js';

/** How transcribe() finds and loads its model. */
export interface SpeechModelSource extends ModelSourceSettings {
  /** `attn/<name>` (shipped), a local folder, or a hub id `org/name`. Default 'attn/whisper-espeak'. */
  model?: string;
}

/** A loaded Whisper model: sessions, tokenizer and the parsed config files. */
export interface SpeechModel {
  folder: ModelFolder;
  model: EncoderDecoderModel;
  tokenizer: TextTokenizer;
  files: WhisperConfigFiles;
}

/** The model used when `model` is not given. */
export const defaultSpeechModel = 'attn/whisper-espeak';

const loaded = new LoadedModels<SpeechModel>();

/**
 * Loads (once) the Whisper model of `source`, tapping the cross-attention of its alignment-head layers.
 *
 * @example
 * ```ts
 * const { files } = await loadSpeechModel({ model: './packages/core-attention/test-fixtures/tiny-whisper' });
 * files.preprocessorConfig['chunk_length']; // 2 (a real Whisper has 30)
 * ```
 * @throws {AttnError} MODEL_NOT_FOUND / FILE_NOT_FOUND from the folder lookup (preprocessor_config.json and
 * generation_config.json are required); UNSUPPORTED for a model that is not whisper; MODEL_FORMAT for bad configs.
 */
export function loadSpeechModel(source: SpeechModelSource): Promise<SpeechModel> {
  return loaded.get(
    modelSourceKey('transcribe', source.model ?? defaultSpeechModel, source),
    (sessions) => load(source, sessions),
  );
}

async function load(source: SpeechModelSource, sessions: SessionCache): Promise<SpeechModel> {
  const folder = await openModelFolder(source.model ?? defaultSpeechModel, {
    modelsRoot,
    ...(source.hub === undefined ? {} : { hub: source.hub }),
  });
  if (folder.config.model_type !== 'whisper') {
    throw new AttnError(
      'UNSUPPORTED',
      `transcribe(): ${folder.source} is a '${folder.config.model_type}' model; transcribe runs whisper models`,
      { fix: `pass a Whisper model folder, or leave model unset for ${defaultSpeechModel}` },
    );
  }
  const preprocessorConfig = (await folder.readJson('preprocessor_config.json')) as Record<
    string,
    unknown
  >;
  if (folder.generationConfig === undefined) {
    throw new AttnError(
      'FILE_NOT_FOUND',
      `transcribe(): ${folder.source} has no generation_config.json`,
      {
        likelyCause: 'the folder was exported without its generation config',
        fix: "save the model's GenerationConfig (lang_to_id, task_to_id, no_timestamps_token_id, alignment_heads) beside config.json",
      },
    );
  }
  const files = {
    config: folder.config,
    generationConfig: folder.generationConfig,
    preprocessorConfig,
  };
  const layers = [
    ...new Set(alignmentHeads(files.config, files.generationConfig, []).map(([layer]) => layer)),
  ];
  const [model, tokenizer] = await Promise.all([
    EncoderDecoderModel.load(folder, {
      sessions,
      attention: { cross: layers },
      ...modelLoadSettings(source),
    }),
    loadTokenizer(folder),
  ]);
  return { folder, model, tokenizer, files };
}

/**
 * Releases every model transcribe() loaded (their onnxruntime sessions).
 *
 * @example
 * ```ts
 * await disposeSpeechModels();
 * ```
 */
export async function disposeSpeechModels(): Promise<void> {
  await loaded.dispose();
}
