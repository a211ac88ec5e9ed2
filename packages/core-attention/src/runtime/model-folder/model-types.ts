// The model types attn knows, as config.json's `model_type` spells them, and the ONNX sessions each family is split
// into by Hugging Face Optimum exports (https://huggingface.co/docs/optimum/exporters/onnx/overview).
import { AttnError } from '../../errors/index.js';

/** The ONNX files ("sessions") of an Optimum export, without dtype suffix. */
export type OnnxSessionName =
  'model' | 'encoder_model' | 'decoder_model_merged' | 'decoder_model' | 'decoder_with_past_model';

/** How a model family is split into sessions. */
export interface ModelArchitecture {
  family: 'encoder-decoder' | 'decoder-only' | 'encoder-only';
  /** The sessions transformers.js loads. */
  sessions: readonly OnnxSessionName[];
  /** The older split some exports ship instead of a merged decoder. */
  alternativeSessions: readonly OnnxSessionName[];
}

const families: Record<ModelArchitecture['family'], readonly string[]> = {
  'encoder-decoder': [
    'marian',
    'bart',
    'mbart',
    't5',
    'mt5',
    'umt5',
    'longt5',
    'pegasus',
    'm2m_100',
    'blenderbot',
    'blenderbot-small',
    'whisper',
    'moonshine',
    'vision-encoder-decoder',
    'encoder-decoder',
    'attn-gru',
  ],
  'decoder-only': [
    'gpt2',
    'gpt_neo',
    'gpt_neox',
    'gptj',
    'gpt_bigcode',
    'codegen',
    'opt',
    'bloom',
    'llama',
    'mistral',
    'qwen2',
    'qwen3',
    'phi',
    'phi3',
    'gemma',
    'gemma2',
    'falcon',
    'stablelm',
    'olmo',
    'granite',
    'starcoder2',
    'mpt',
  ],
  'encoder-only': [
    'bert',
    'distilbert',
    'roberta',
    'xlm-roberta',
    'albert',
    'electra',
    'deberta',
    'deberta-v2',
    'mpnet',
    'camembert',
    'modernbert',
    'vit',
    'deit',
    'beit',
    'dinov2',
    'swin',
    'detr',
    'yolos',
    'wav2vec2',
    'hubert',
  ],
};

/** Every model_type attn knows, by family. */
export const knownModelTypes: Readonly<Record<ModelArchitecture['family'], readonly string[]>> =
  families;

/**
 * The architecture of a `model_type`.
 *
 * @example
 * ```ts
 * modelArchitecture('marian').sessions; // ['encoder_model', 'decoder_model_merged']
 * modelArchitecture('gpt2').family; // 'decoder-only'
 * ```
 * @throws {AttnError} MODEL_FORMAT for a model_type not in {@link knownModelTypes}, listing the known ones.
 */
export function modelArchitecture(modelType: string, source = 'config.json'): ModelArchitecture {
  for (const [family, types] of Object.entries(families) as [
    ModelArchitecture['family'],
    readonly string[],
  ][]) {
    if (!types.includes(modelType)) continue;
    return family === 'encoder-decoder'
      ? {
          family,
          sessions: ['encoder_model', 'decoder_model_merged'],
          alternativeSessions: ['decoder_model', 'decoder_with_past_model'],
        }
      : { family, sessions: ['model'], alternativeSessions: [] };
  }
  const known = Object.entries(families)
    .map(([family, types]) => `${family}: ${types.join(', ')}`)
    .join('; ');
  throw new AttnError(
    'MODEL_FORMAT',
    `openModelFolder(): ${source} has model_type '${modelType}', which attn does not know`,
    {
      likelyCause: 'an architecture attn has no pipeline for yet',
      fix: `use a model of a known type (${known})`,
    },
  );
}
