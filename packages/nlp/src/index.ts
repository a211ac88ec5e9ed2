// @attn/nlp — see packages/nlp/README.md.
export {};
