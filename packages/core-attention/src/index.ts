// @attn/core-attention: tensors, attention kernels, analysis, rendering and the runtime layer.
export * from './errors/index.js';
export * from './tensor/index.js';
export * from './render/index.js';
export * from './analysis/index.js';
export * from './attention/index.js';
