// @attn/core-attention/runtime: the Node-only layer (onnxruntime, files, network). The package root
// stays free of Node imports so the pure modules also run in a browser.
export * from './tokenizer/index.js';
export * from './hub/index.js';
export * from './generation/index.js';
export * from './onnx-graph/index.js';
export * from './taps/index.js';
export * from './session/index.js';
export * from './model-folder/index.js';
export * from './models/index.js';
