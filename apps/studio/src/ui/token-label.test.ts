import { describe, expect, it } from 'vitest';
import { tokenLabel } from './token-label.js';

describe('tokenLabel', () => {
  it('turns each tokenizer family’s word marks into a flag', () => {
    expect(['▁Ein', '▁Hund', 'm', '.', '</s>'].map(tokenLabel)).toEqual([
      { text: 'Ein', startsWord: true },
      { text: 'Hund', startsWord: true },
      { text: 'm', startsWord: false },
      { text: '.', startsWord: false },
      { text: '</s>', startsWord: true },
    ]);
    expect(['ĠThe', 'Ġdog', 's'].map(tokenLabel).map((label) => label.text)).toEqual([
      'The',
      'dog',
      's',
    ]);
    expect(['[CLS]', 'play', '##ing'].map(tokenLabel)).toEqual([
      { text: '[CLS]', startsWord: true },
      { text: 'play', startsWord: false },
      { text: 'ing', startsWord: false },
    ]);
  });

  it('keeps a lone mark visible', () => {
    expect(tokenLabel('▁')).toEqual({ text: '▁', startsWord: true });
    expect(tokenLabel('##')).toEqual({ text: '##', startsWord: false });
  });
});
