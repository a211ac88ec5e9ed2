// Where the shipped models live once installed: pipelines resolve `attn/<name>` to `<modelsRoot>/<name>`.
// $ATTN_MODELS, when set, points them at another folder of the same layout (as openModelFolder reads it too).
import { fileURLToPath } from 'node:url';

export const modelsRoot = process.env.ATTN_MODELS || fileURLToPath(new URL('.', import.meta.url));
