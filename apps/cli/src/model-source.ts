// --model, --dtype and --offline as the model options every pipeline takes. --model is attn/<name> (a shipped
// model), a folder, or a Hugging Face hub id; a path that exists wins over a hub id spelled the same (as
// transformers' from_pretrained does), and is made absolute so the pipelines read it as a folder.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HubOptions, ModelDtype } from '@attn/core-attention/runtime';
import { flagOption, stringOption, type OptionValues } from './input/option-values.js';

/** The model options of a pipeline call. */
export interface ModelSource {
  model: string;
  /** Left to the pipeline to check (it names the dtypes the folder has). */
  dtype?: ModelDtype;
  hub: HubOptions;
}

/**
 * The model a command runs: --model or `defaultModel`; --offline forbids downloads (HF_HUB_OFFLINE=1 already does).
 * The hub client draws its own download progress on stderr when stderr is a terminal.
 *
 * @example
 * ```ts
 * modelSource({}, 'attn/mt-en-de'); // { model: 'attn/mt-en-de', hub: {} }
 * // in the repository root, where the fixture folder exists
 * modelSource({ model: 'packages/core-attention/test-fixtures/tiny-marian', offline: true }, 'attn/mt-en-de');
 * // { model: '<repository>/packages/core-attention/test-fixtures/tiny-marian', hub: { offline: true } }
 * ```
 * @throws never: an unknown model is reported by the pipeline (MODEL_NOT_FOUND).
 */
export function modelSource(values: OptionValues, defaultModel: string): ModelSource {
  const given = stringOption(values, 'model') ?? defaultModel;
  const model = !given.startsWith('attn/') && isDirectory(given) ? resolve(given) : given;
  const dtype = stringOption(values, 'dtype');
  return {
    model,
    ...(dtype === undefined ? {} : { dtype: dtype as ModelDtype }),
    hub: flagOption(values, 'offline') ? { offline: true } : {},
  };
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}
