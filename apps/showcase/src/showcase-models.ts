// The model each task of the showcase runs: the pipelines' own defaults (attn's shipped models), or other
// folders given instead (the tests pass the tiny random-weight fixtures).
import { defaultSpeechModel } from '@attn/audio';
import {
  defaultChatModel,
  defaultQuestionAnsweringModel,
  defaultSummarizationModel,
  defaultTranslationModel,
} from '@attn/nlp';
import { defaultDetectionModel, defaultSegmentationModel } from '@attn/vision';

/** Task -> model: `attn/<name>`, or a model folder path. */
export interface ShowcaseModels {
  translation: string;
  summarization: string;
  questionAnswering: string;
  chat: string;
  detection: string;
  segmentation: string;
  transcription: string;
}

/**
 * The shipped models the pipelines default to, one per task.
 *
 * @example
 * ```ts
 * shippedModels.translation; // 'attn/mt-en-de'
 * shippedModels.transcription; // 'attn/whisper-espeak'
 * ```
 */
export const shippedModels: Readonly<ShowcaseModels> = {
  translation: defaultTranslationModel,
  summarization: defaultSummarizationModel,
  questionAnswering: defaultQuestionAnsweringModel,
  chat: defaultChatModel,
  detection: defaultDetectionModel,
  segmentation: defaultSegmentationModel,
  transcription: defaultSpeechModel,
};
