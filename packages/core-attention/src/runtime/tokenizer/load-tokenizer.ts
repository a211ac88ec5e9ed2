// The tokenizer of a model folder: tokenizer.json with tokenizer_config.json (and special_tokens_map.json
// for the special token names when the config lacks them), as transformers.js reads them.
import { AttnError } from '../../errors/index.js';
import type { ModelFolder } from '../model-folder/index.js';
import { TextTokenizer } from './text-tokenizer.js';

/**
 * Loads the folder's tokenizer.
 *
 * @example
 * ```ts
 * const tokenizer = await loadTokenizer(await openModelFolder('attn/mt-en-de', { modelsRoot }));
 * tokenizer.encode('A dog runs.').tokens; // ['▁A', '▁dog', '▁runs', '.', '</s>']
 * ```
 * @throws {AttnError} FILE_NOT_FOUND when the folder has no tokenizer.json (the message says what it has);
 * MODEL_FORMAT when the file is not a tokenizers file.
 */
export async function loadTokenizer(folder: ModelFolder): Promise<TextTokenizer> {
  const tokenizerJson = await folder.readJson('tokenizer.json').catch((error: unknown) => {
    if (AttnError.is(error) && error.code === 'FILE_NOT_FOUND') {
      throw new AttnError(
        'FILE_NOT_FOUND',
        `loadTokenizer(): ${folder.source} has no tokenizer.json`,
        {
          likelyCause: 'the folder holds only a slow tokenizer (vocab.json, merges.txt, *.spm)',
          fix: 'save the tokenizer with its fast implementation (tokenizer.save_pretrained) into the folder',
          cause: error,
        },
      );
    }
    throw error;
  });
  const config = ((await folder.readJson('tokenizer_config.json', { optional: true })) ??
    {}) as Record<string, unknown>;
  const specialTokens = ((await folder.readJson('special_tokens_map.json', { optional: true })) ??
    {}) as Record<string, unknown>;
  return new TextTokenizer(tokenizerJson, { ...specialTokens, ...config });
}
