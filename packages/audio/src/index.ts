// @attn/audio — see packages/audio/README.md.
export {};
