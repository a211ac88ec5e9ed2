import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../testing/index.js';
import { openModelFolder } from '../model-folder/index.js';
import { loadTokenizer } from './load-tokenizer.js';

describe('loadTokenizer', () => {
  it('loads a real Hugging Face folder with its tokenizer_config.json special tokens', async () => {
    const folder = await openModelFolder(
      dirname(sharedDataPath('hf-reference/whisper-tiny-tokenizer/tokenizer.json')),
    );
    const tokenizer = await loadTokenizer(folder);
    expect(tokenizer.specialTokenId('eos_token')).toBe(50257);
    const ids = tokenizer.encode(' Hello world', { addSpecialTokens: false }).ids;
    expect(tokenizer.decode(ids)).toBe(' Hello world');
    const tokens = ids.map((id) => tokenizer.idToToken(id) as string);
    expect(tokenizer.alignTokens(' Hello world', tokens)).toEqual({
      offsets: [
        [1, 6],
        [7, 12],
      ],
      wordIds: [0, 1],
    });
  });

  it('says what to do when the folder has no tokenizer.json', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'attn-tokenizer-'));
    try {
      await writeFile(join(folder, 'config.json'), JSON.stringify({ model_type: 'marian' }));
      await writeFile(join(folder, 'source.spm'), '');
      const error = await loadTokenizer(await openModelFolder(folder)).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'FILE_NOT_FOUND' });
      expect((error as Error).message).toMatch(
        /has no tokenizer\.json\. Likely cause: the folder holds only a slow tokenizer/,
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
