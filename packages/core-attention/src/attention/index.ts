// Reference attention kernels: scaled dot-product, multi-head / grouped-query, additive (Bahdanau), multiplicative
// (Luong), streaming (online softmax), masks, positions (sinusoidal, RoPE, ALiBi, T5 buckets) and a KV cache.
export { softmax, type SoftmaxOptions } from './softmax.js';
export { combineMasks, type AttentionMask } from './attention-mask.js';
export { paddingMask, causalMask, slidingWindowMask, type CausalMaskOptions } from './masks.js';
export {
  scaledDotProductAttention,
  type AttentionOptions,
  type AttentionResult,
} from './scaled-dot-product-attention.js';
export { streamingAttention, type StreamingAttentionOptions } from './streaming-attention.js';
export {
  multiHeadAttention,
  type MultiHeadAttentionWeights,
  type MultiHeadAttentionOptions,
} from './multi-head-attention.js';
export { type EncoderAttentionOptions } from './encoder-attention.js';
export { additiveAttention, type AdditiveAttentionWeights } from './additive-attention.js';
export { multiplicativeAttention, type LuongScore } from './multiplicative-attention.js';
export { sinusoidalPositions, type SinusoidalPositionsOptions } from './sinusoidal-positions.js';
export { applyRotaryPositions, type RotaryPositionsOptions } from './rotary-positions.js';
export { alibiSlopes, alibiBias } from './alibi.js';
export {
  relativePositionBucket,
  relativePositionBias,
  type RelativePositionOptions,
} from './relative-position-bias.js';
export { KeyValueCache, type KeyValueEntry } from './kv-cache.js';
