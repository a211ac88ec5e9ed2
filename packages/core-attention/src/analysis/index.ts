// Attention analysis: the AttentionMaps contract, head and layer aggregation, entropy and head statistics,
// rollout and flow, alignment extraction and AER, DTW and median filter for word timing, top-k evidence and
// the deletion faithfulness test. Pure functions over plain data; nothing here imports from Node.
export {
  type AttentionKind,
  type AttentionMaps,
  type AttentionMapsInit,
  createAttentionMaps,
  attentionMatrix,
} from './attention-maps.js';
export { type AttentionSelection, selectAttentionMaps } from './select-attention-maps.js';
export {
  type AttentionMapsJSON,
  attentionMapsToJSON,
  attentionMapsFromJSON,
} from './attention-maps-json.js';
export { type FloatTensor } from './float-tensor.js';
export {
  type Reduction,
  type AggregateOptions,
  aggregateHeads,
  aggregateAttention,
} from './aggregate.js';
export { headEntropy } from './entropy.js';
export { type HeadStatistics, headStatistics } from './head-statistics.js';
export { type ResidualAttentionOptions } from './residual-attention.js';
export { attentionRollout, type RolloutOptions } from './rollout.js';
export { ATTENTION_FLOW_MAX_WORK, attentionFlow } from './attention-flow.js';
export {
  type AlignmentLink,
  type ArgmaxAlignmentOptions,
  argmaxAlignment,
  thresholdAlignment,
} from './alignment.js';
export { shiftTargetRows } from './shift-target-rows.js';
export {
  type SymmetrizationMethod,
  type BidirectionalAlignmentOptions,
  bidirectionalAlignment,
} from './bidirectional-alignment.js';
export { type ItermaxOptions, itermaxAlignment } from './itermax.js';
export { type CharacterOffsets, wordIdsFromOffsets } from './word-ids-from-offsets.js';
export { type WordIds, type WordPoolingOptions, poolSubwords } from './word-pooling.js';
export {
  type AlignmentPair,
  type AlignmentCounts,
  type AlignmentScores,
  type AlignmentSentence,
  alignmentErrorRate,
  corpusAlignmentErrorRate,
} from './alignment-error-rate.js';
export {
  type PharaohParseOptions,
  parsePharaohAlignment,
  formatPharaohAlignment,
} from './pharaoh-format.js';
export { type WarpingPath, dynamicTimeWarping } from './dtw.js';
export { medianFilter } from './median-filter.js';
export { standardizeAlignmentHeads } from './standardize-alignment-heads.js';
export { type EvidenceToken, type EvidenceSpan, topEvidence } from './evidence-spans.js';
export {
  type DeletionScorer,
  type DeletionTestOptions,
  type DeletionTestResult,
  deletionTest,
} from './deletion-test.js';
