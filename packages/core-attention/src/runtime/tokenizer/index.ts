export { TextTokenizer, type TokenizedText, type EncodeOptions } from './text-tokenizer.js';
export { tokenOffsets, wordIds, type TokenOffset, type SurfaceStyle } from './token-offsets.js';
export { byteLevelTokenBytes } from './byte-level.js';
export { loadTokenizer } from './load-tokenizer.js';
