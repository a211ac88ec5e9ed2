// Where the shipped models live once installed: pipelines resolve `attn/<name>` to `<modelsRoot>/<name>`.
import { fileURLToPath } from 'node:url';

export const modelsRoot = fileURLToPath(new URL('.', import.meta.url));
