// @attn/nlp: translation, summarization, question answering and chat, each with its attention evidence.
export {
  translate,
  defaultTranslationModel,
  type TranslateOptions,
  type Translation,
} from './translate.js';
export { wordAlignment, type WordAlignmentOptions } from './word-alignment.js';
export { disposeTextModels, type ModelSource } from './text-model.js';
export {
  alignTranslation,
  type AlignTranslationOptions,
  type PairAlignment,
} from './align-translation.js';
