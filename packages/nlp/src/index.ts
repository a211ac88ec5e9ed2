// @attn/nlp: translation, summarization, question answering and chat, each with its attention evidence.
export {
  translate,
  defaultTranslateBatchSize,
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
export {
  summarize,
  defaultSummarizationModel,
  type SummarizeOptions,
  type SummaryAttributionOptions,
  type Summary,
} from './summarize.js';
export {
  sourceAttribution,
  type SourceAttribution,
  type SourceAttributionOptions,
  type WeightedSpan,
} from './source-attribution.js';
export { wordSpans, sentenceSpans, type TextSpan } from './text-spans.js';
export {
  answer,
  defaultQuestionAnsweringModel,
  type Answer,
  type AnswerOptions,
} from './answer.js';
export { evidenceSources, type EvidenceSource } from './answer-evidence.js';
export {
  answerDeletionTest,
  type AnswerDeletionOptions,
  type AnswerDeletionResult,
} from './answer-deletion-test.js';
export {
  questionContextWindows,
  type QuestionContextWindow,
  type QuestionContextOptions,
} from './question-context-windows.js';
export { bestAnswerSpan, spanProbability, type AnswerSpan } from './answer-span.js';
export {
  chat,
  chatStream,
  defaultChatModel,
  type ChatOptions,
  type ChatReply,
  type ChatStreamEvent,
} from './chat.js';
export { chatPrompt, type ChatMessage, type ChatPrompt } from './chat-prompt.js';
export { turnAttention } from './turn-attention.js';

// The one error class of every attn package (from @attn/core-attention), so that catching it needs no other import.
export { AttnError, type AttnErrorCode } from '@attn/core-attention';
