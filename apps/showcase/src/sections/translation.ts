// Section: translation with attn/mt-en-de — each sentence's translation, its cross-attention (heads and
// layers averaged) with the extracted word alignment outlined, and the aligned word pairs.
import {
  aggregateAttention,
  attentionMatrixSvg,
  h,
  htmlTable,
  raw,
  type Html,
} from '@attn/core-attention';
import { translate, type Translation } from '@attn/nlp';
import type { ReportSection } from '../report.js';

/** Sample sentences written for the showcase (not from a test set). */
export const translationSamples = [
  'A little girl in a pink dress is running on the beach.',
  'Two men are playing soccer in a park.',
  'A dog jumps over a red fence.',
];

function alignmentFigure(translation: Translation): Html {
  const attention = translation.attention;
  if (attention === undefined) return h('p', {}, 'attention was off');
  const matrix = aggregateAttention(attention);
  const [rows, columns] = matrix.dims as [number, number];
  const svg = attentionMatrixSvg(matrix.data, {
    // row i is the decoder producing target token i (its input is the token before)
    queryLabels: translation.targetTokens.slice(0, rows),
    keyLabels: attention.keyLabels.slice(0, columns),
    title: 'cross-attention while producing each target token (mean of layers and heads)',
  });
  const pairs = translation.alignment.map((link) => [
    translation.sourceWords[link.source] ?? '?',
    translation.targetWords[link.target] ?? '?',
    link.weight.toFixed(2),
  ]);
  return h('div', {}, [
    h('p', {}, [
      h('strong', {}, 'EN '),
      translation.sourceWords.join(' '),
      h('br'),
      h('strong', {}, 'DE '),
      translation.text,
    ]),
    raw(svg),
    htmlTable(['source word', 'target word', 'weight'], pairs, {
      caption: 'word alignment (argmax over pooled attention)',
    }),
  ]);
}

/** The translation section of the report. */
export async function translationSection(): Promise<ReportSection> {
  const translations = await translate(translationSamples, { numBeams: 4 });
  return {
    id: 'translation',
    title: 'Translation with word alignment',
    summary:
      'attn/mt-en-de translates each caption with beam search; its cross-attention, pooled from subwords to words, gives the word alignment.',
    body: h('div', {}, translations.map(alignmentFigure)),
  };
}
