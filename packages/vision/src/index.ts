// @attn/vision — see packages/vision/README.md.
export {};
