export {
  type DecoderStepper,
  type DecoderStepResult,
  type FinishReason,
  type GeneratedSequence,
  type GenerationResult,
  type GenerationStep,
  type GenerationEvent,
} from './decoder-stepper.js';
export {
  generationOptionsFromConfig,
  type GenerationOptions,
  type EarlyStopping,
} from './generation-options.js';
export type { GenerationRequest } from './generation-settings.js';
export { greedySearch } from './greedy-search.js';
export { sample } from './sample.js';
export { beamSearch } from './beam-search.js';
export { generate } from './generate.js';
export { streamGenerate } from './stream-generate.js';
export { logSoftmax, logSumExp, mostLikely } from './log-softmax.js';
export {
  applyRepetitionPenalty,
  banRepeatedNgrams,
  banBadWords,
  suppressTokens,
  forceTokens,
} from './logits-processors.js';
export { applyTemperature, applyTopK, applyTopP } from './logits-warpers.js';
export { sampleIndex } from './random.js';
