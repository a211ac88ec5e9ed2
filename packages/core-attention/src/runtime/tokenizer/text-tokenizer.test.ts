import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../testing/index.js';
import { AttnError } from '../../errors/index.js';
import { TextTokenizer } from './text-tokenizer.js';

function reference(name: string): TextTokenizer {
  const json = JSON.parse(
    readFileSync(sharedDataPath(`hf-reference/${name}/tokenizer.json`), 'utf8'),
  );
  let config = {};
  try {
    config = JSON.parse(
      readFileSync(sharedDataPath(`hf-reference/${name}/tokenizer_config.json`), 'utf8'),
    );
  } catch {
    // gpt2-tokenizer ships no tokenizer_config.json
  }
  return new TextTokenizer(json, config);
}

const texts = [
  'Hello world, attention is all you need!',
  'Two young, White males are outside near many bushes.',
  '  leading spaces and   runs of   spaces ',
  'Ünïcödé café — naïve façade 😀 x',
  'A man in an orange hat starring at something.',
];

/** Independent check: the text under each span, folded, must equal the token's surface, folded. */
function fold(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s/g, '');
}

describe('TextTokenizer', () => {
  it('reproduces the published GPT-2 ids and round-trips text', () => {
    const gpt2 = reference('gpt2-tokenizer');
    const encoded = gpt2.encode('Hello world, attention is all you need!');
    expect(encoded.ids).toEqual([15496, 995, 11, 3241, 318, 477, 345, 761, 0]);
    expect(encoded.offsets).toEqual([
      [0, 5],
      [6, 11],
      [11, 12],
      [13, 22],
      [23, 25],
      [26, 29],
      [30, 33],
      [34, 38],
      [38, 39],
    ]);
    expect(encoded.wordIds).toEqual([0, 1, 1, 2, 3, 4, 5, 6, 6]);
    for (const text of texts) expect(gpt2.decode(gpt2.encode(text).ids)).toBe(text);
  });

  it('maps byte-level tokens that split one character to that character', () => {
    const gpt2 = reference('gpt2-tokenizer');
    const text = 'a 😀';
    const { tokens, offsets } = gpt2.encode(text);
    expect(tokens).toHaveLength(3); // 'a', 'Ġð...' and the last byte of the emoji
    expect(offsets).toEqual([
      [0, 1],
      [2, 4],
      [2, 4],
    ]);
  });

  for (const name of [
    'gpt2-tokenizer',
    'whisper-tiny-tokenizer',
    't5-small-summarization-tokenizer',
    't5-base-tokenizer',
  ]) {
    it(`${name}: spans cover each token's own text, in order`, () => {
      const tokenizer = reference(name);
      for (const text of texts) {
        const { ids, tokens, offsets, specialTokensMask } = tokenizer.encode(text);
        let previousStart = 0;
        tokens.forEach((token, i) => {
          const [start, end] = offsets[i] as readonly [number, number];
          expect(start).toBeGreaterThanOrEqual(previousStart);
          expect(end).toBeGreaterThanOrEqual(start);
          previousStart = start;
          if (specialTokensMask[i] === 1) return expect(end).toBe(start);
          const surface = fold(tokenizer.decode([ids[i] as number], { skipSpecialTokens: false }));
          const unknown = ids[i] === tokenizer.unknownTokenId || surface === '';
          if (!unknown && !/[\uFFFD]/.test(surface))
            expect(fold(text.slice(start, end))).toBe(surface);
        });
      }
    });
  }

  it('gives an unknown token the span between its neighbours (T5 has no ï)', () => {
    const t5 = reference('t5-small-summarization-tokenizer');
    const text = 'Ünïcödé';
    const { ids, offsets } = t5.encode(text);
    const unknown = ids.indexOf(t5.unknownTokenId as number);
    expect(unknown).toBeGreaterThan(0);
    expect(text.slice(...(offsets[unknown] as [number, number]))).toBe('ï');
  });

  it('names special token ids from tokenizer_config.json', () => {
    const whisper = reference('whisper-tiny-tokenizer');
    expect(whisper.specialTokenId('eos_token')).toBe(50257);
    expect(whisper.vocabSize).toBeGreaterThan(50257);
    expect(reference('t5-base-tokenizer').unknownTokenId).toBe(2);
    expect(reference('gpt2-tokenizer').unknownTokenId).toBeUndefined();
  });

  it('rejects files that are not tokenizer.json and non-string input', () => {
    expect(() => new TextTokenizer({ vocab: {} })).toThrow(/must be an object with a 'model'/);
    const gpt2 = reference('gpt2-tokenizer');
    expect(() => gpt2.encode(42 as unknown as string)).toThrow(AttnError);
    expect(() => gpt2.encode(42 as unknown as string)).toThrow(
      'TextTokenizer.encode(): text must be a string, got 42.',
    );
  });
});
