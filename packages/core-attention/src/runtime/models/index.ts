export {
  EncoderDecoderModel,
  type LoadModelOptions,
  type Seq2SeqGeneration,
} from './encoder-decoder-model.js';
export {
  EncoderDecoderStepper,
  type EncoderDecoderStepperOptions,
  type AttentionStepResult,
  type EncoderOutput,
} from './encoder-decoder-stepper.js';
export {
  RecurrentDecoderStepper,
  recurrentStateSlots,
  type RecurrentDecoderStepperOptions,
  type StateSlot,
} from './recurrent-decoder-stepper.js';
export { sequenceAttention, type SequenceAttention } from './sequence-attention.js';
export { cacheSlots, emptyPast, type CacheSlot } from './cache-slots.js';
export { gatherRows } from './gather-rows.js';
export { lastPositionLogits } from './last-position-logits.js';
export {
  CausalLanguageModel,
  type CausalGeneration,
  type CausalGenerationEvent,
} from './causal-language-model.js';
export { CausalLmStepper, type CausalLmStepperOptions } from './causal-lm-stepper.js';
export { EncoderOnlyModel, type EncoderRun } from './encoder-only-model.js';
export { modelLoadSettings, modelSourceKey, type ModelSourceSettings } from './model-source.js';
export { LoadedModels } from './loaded-models.js';
