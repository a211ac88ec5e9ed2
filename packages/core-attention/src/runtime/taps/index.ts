export {
  tapName,
  attentionKinds,
  type AttentionKind,
  type LayerSelection,
  type TapRequest,
} from './attention-kind.js';
export { classifyAttentionName, type NameClassification } from './classify-attention-name.js';
export {
  findAttentionSites,
  type AttentionSite,
  type AttentionOperator,
  type FindAttentionOptions,
} from './find-attention-sites.js';
export { normalizeTapRequest } from './normalize-tap-request.js';
export { applyTaps, attentionLayers, type AttentionTap } from './apply-taps.js';
export { recomputeAttention, type RecomputeRecipe } from './recompute-attention.js';
export type { TapRole } from './site-tap-values.js';
export { tapModel, type TapModelOptions, type TappedModel } from './tap-model.js';
export { readAttentionTaps, type ReadAttentionOptions } from './read-attention-taps.js';
