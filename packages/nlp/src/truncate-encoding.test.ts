import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '@attn/core-attention/testing';
import { loadTokenizer, openModelFolder } from '@attn/core-attention/runtime';
import { truncateEncoding } from './truncate-encoding.js';

const tinyBart = join(repositoryRoot(), 'packages/core-attention/test-fixtures/tiny-bart');

describe('truncateEncoding', () => {
  it('cuts to the limit, keeps the closing special token and says where the text was cut', async () => {
    const tokenizer = await loadTokenizer(await openModelFolder(tinyBart));
    const encoding = tokenizer.encode('a b c');
    expect(encoding.tokens).toEqual(['<s>', 'a', 'Ġb', 'Ġc', '</s>']);
    expect(truncateEncoding(encoding, 4)).toBe(3); // 'a b' ends at character 3
    expect(encoding.tokens).toEqual(['<s>', 'a', 'Ġb', '</s>']);
    expect(encoding.ids).toHaveLength(4);
    expect(encoding.offsets).toHaveLength(4);
    expect(encoding.wordIds).toEqual([null, 0, 1, null]);
    expect(encoding.specialTokensMask).toEqual([1, 0, 0, 1]);
    expect(truncateEncoding(encoding, 4)).toBeUndefined();
  });
});
