// Where the shipped models live once installed: pipelines resolve `attn/<name>` to `<modelsRoot>/<name>`.
// $ATTN_MODELS, when set, points them at another folder of the same layout (openModelFolder falls back to it only when
// given no modelsRoot).
import { fileURLToPath } from 'node:url';

export const modelsRoot = process.env.ATTN_MODELS || fileURLToPath(new URL('.', import.meta.url));
