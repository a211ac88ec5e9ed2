import { describe, expect, it } from 'vitest';
import { byteLevelTokenBytes } from './byte-level.js';
import { tokenOffsets, wordIds } from './token-offsets.js';

describe('tokenOffsets', () => {
  it('aligns SentencePiece (metaspace) pieces, with special tokens as empty spans', () => {
    expect(
      tokenOffsets('Hello world', ['▁Hello', '▁wor', 'ld', '</s>'], 'metaspace', new Set(['</s>'])),
    ).toEqual([
      [0, 5],
      [6, 9],
      [9, 11],
      [11, 11],
    ]);
  });

  it('aligns WordPiece continuations through lower-casing and accent stripping', () => {
    const text = 'Héllo Wörlds!';
    const offsets = tokenOffsets(
      text,
      ['[CLS]', 'hello', 'world', '##s', '!', '[SEP]'],
      'wordpiece',
      new Set(['[CLS]', '[SEP]']),
    );
    expect(offsets).toEqual([
      [0, 0],
      [0, 5],
      [6, 11],
      [11, 12],
      [12, 13],
      [13, 13],
    ]);
    expect(wordIds(text, offsets)).toEqual([null, 0, 1, 1, 1, null]);
  });

  it('gives a token absent from the text the span up to the next token', () => {
    expect(tokenOffsets('a ☃ b', ['▁a', '▁', '<unk>', '▁b'], 'metaspace')).toEqual([
      [0, 1],
      [2, 3],
      [2, 3],
      [4, 5],
    ]);
  });

  it('finds byte-level tokens whose leading space the decoded text dropped', () => {
    // ' .' decoded with clean-up reads 'dog.'; 'Ġ.' must still map to the period
    expect(tokenOffsets('a dog.', ['a', 'Ġdog', 'Ġ.'], 'byte-level')).toEqual([
      [0, 1],
      [2, 5],
      [5, 6],
    ]);
  });

  it('decodes the byte-level alphabet', () => {
    expect([...(byteLevelTokenBytes('Ġworld') as Uint8Array)]).toEqual([
      32, 119, 111, 114, 108, 100,
    ]);
    expect(byteLevelTokenBytes('<|endoftext|>')).toEqual(new TextEncoder().encode('<|endoftext|>'));
    expect(byteLevelTokenBytes('☃')).toBeUndefined();
  });
});
