// The model each pipeline command runs without --model: the defaults of @attn/nlp, @attn/vision and @attn/audio,
// written out here so that --help and `attn models` answer without loading onnxruntime (a test holds them equal).

/**
 * Command name → its default model.
 *
 * @example
 * ```ts
 * defaultModels.translate; // 'attn/mt-en-de'
 * ```
 */
export const defaultModels = {
  translate: 'attn/mt-en-de',
  summarize: 'attn/sum-captions',
  ask: 'attn/qa-captions',
  chat: 'attn/chat-dailydialog',
  detect: 'attn/detr-shapes',
  segment: 'attn/vit-shapes',
  transcribe: 'attn/whisper-espeak',
} as const;
