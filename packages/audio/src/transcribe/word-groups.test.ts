import { join } from 'node:path';
import { loadTokenizer, openModelFolder } from '@attn/core-attention/runtime';
import { repositoryRoot } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { tokenBytes, wordGroups } from './word-groups.js';

const bytes = (tokens: string[]): Uint8Array[] =>
  tokens.map((token) => new TextEncoder().encode(token));

describe('wordGroups', () => {
  it('starts a word at every token with leading white space and keeps punctuation attached', () => {
    const groups = wordGroups(bytes([' Hel', 'lo', ',', ' "', 'wor', 'ld', '"', ' .', '\n', 'ok']));
    expect(groups).toEqual([
      { surface: ' Hello,', tokenStart: 0, tokenEnd: 3 },
      { surface: ' "world"', tokenStart: 3, tokenEnd: 7 },
      { surface: ' .', tokenStart: 7, tokenEnd: 8 },
      { surface: '\nok', tokenStart: 8, tokenEnd: 10 },
    ]);
    // the words are exactly the text's white-space separated words
    const text = groups.map((group) => group.surface).join('');
    expect(groups.map((group) => group.surface.trim())).toEqual(text.trim().split(/\s+/u));
  });

  it('decodes a character whose UTF-8 bytes are split across tokens', () => {
    // 'é' is C3 A9; byte-level BPE may cut between them
    const split = [
      new TextEncoder().encode(' caf'),
      new Uint8Array([0xc3]),
      new Uint8Array([0xa9]),
    ];
    expect(wordGroups(split)).toEqual([{ surface: ' café', tokenStart: 0, tokenEnd: 3 }]);
  });

  it('gives no groups for no tokens', () => {
    expect(wordGroups([])).toEqual([]);
  });
});

describe('tokenBytes', () => {
  it("reads a Whisper token's byte-level spelling, leading space included", async () => {
    const folder = await openModelFolder(
      join(repositoryRoot(), 'packages/core-attention/test-fixtures/tiny-whisper'),
    );
    const tokenizer = await loadTokenizer(folder);
    // tiny-whisper's vocabulary: 262 'Ġthe', 257 'Ġ.', 13 '.'
    expect(new TextDecoder().decode(tokenBytes(tokenizer, 262))).toBe(' the');
    expect(new TextDecoder().decode(tokenBytes(tokenizer, 257))).toBe(' .');
    expect([...tokenBytes(tokenizer, 13)]).toEqual([0x2e]);
  });
});
