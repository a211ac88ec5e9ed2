// Section: translation (attn/mt-en-de by default) — each sentence's translation, its cross-attention (heads and
// layers averaged) as a matrix, and the word alignment extracted from it as aligned word pairs.
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
import { taskSection } from '../task-section.js';

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

/**
 * The translation section: `sentences` translated by `model` with beam search, one alignment figure each.
 *
 * @example
 * ```ts
 * const section = await translationSection('attn/mt-en-de', ['A dog jumps over a red fence.']);
 * section.body.html; // '<div>…<strong>DE </strong>Ein Hund springt über einen roten Zaun.…<svg …'
 * ```
 * @throws {AttnError} the errors of translate(), except MODEL_NOT_FOUND for a shipped model (see taskSection).
 */
export function translationSection(
  model: string,
  sentences: readonly string[],
): Promise<ReportSection> {
  const heading = {
    id: 'translation',
    title: 'Translation with word alignment',
    summary:
      'Each sentence translated into German with beam search; its cross-attention, pooled from subwords to words, gives the word alignment.',
  };
  return taskSection(heading, model, async () => {
    const translations = await translate([...sentences], { model, numBeams: 4 });
    return h('div', {}, translations.map(alignmentFigure));
  });
}
