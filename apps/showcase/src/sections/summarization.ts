// Section: summarization (attn/sum-captions by default) — four captions of one picture summarized into one, the
// source shaded by the share of the summary's cross-attention each caption received, the source words behind
// every summary word, and the cross-attention itself.
import { aggregateAttention, attentionMatrixSvg, h, htmlTable, raw } from '@attn/core-attention';
import { summarize, type Summary } from '@attn/nlp';
import type { ReportSection } from '../report.js';
import { taskSection } from '../task-section.js';
import { textHighlights } from '../text-highlights.js';

/** The cross-attention matrix, each row labelled with the summary token it produced. */
function attentionFigure(summary: Summary): string | undefined {
  if (summary.attention === undefined) return undefined;
  const matrix = aggregateAttention(summary.attention);
  const [rows] = matrix.dims as [number, number];
  // the last rows produced the summary tokens; rows before them read the extra prompt tokens
  const promptRows = rows - summary.summaryTokens.length;
  return attentionMatrixSvg(matrix.data, {
    queryLabels: [
      ...summary.attention.queryLabels.slice(0, promptRows).map((token) => `(${token})`),
      ...summary.summaryTokens,
    ],
    keyLabels: summary.attention.keyLabels,
    title: 'cross-attention while producing each summary token (mean of layers and heads)',
  });
}

/**
 * The summarization section: the captions joined into one source text, summarized by `model`.
 *
 * @example
 * ```ts
 * const section = await summarizationSection('attn/sum-captions', ['A man rides a bike.', 'A cyclist on a street.']);
 * section.body.html; // '<div>…<strong>Summary </strong>…<table class="attn-table">…<svg …'
 * ```
 * @throws {AttnError} the errors of summarize(), except MODEL_NOT_FOUND for a shipped model (see taskSection).
 */
export function summarizationSection(
  model: string,
  captions: readonly string[],
): Promise<ReportSection> {
  const heading = {
    id: 'summarization',
    title: 'Summarization with source attribution',
    summary:
      "Four captions of one picture summarized into one; the source is shaded by the share of the summary's cross-attention each caption received, and every summary word lists the source words it drew on.",
  };
  return taskSection(heading, model, async () => {
    const source = captions.join(' ');
    const summary = await summarize(source, { model, maxNewTokens: 48 });
    const wordRows = summary.words.map(({ word, sources }) => [
      word,
      sources
        .map((span) => `${source.slice(span.start, span.end)} (${span.weight.toFixed(2)})`)
        .join(', '),
    ]);
    const figure = attentionFigure(summary);
    return h('div', {}, [
      h('p', {}, h('strong', {}, 'Source, shaded by attention share per caption')),
      textHighlights(source, summary.sourceHighlights),
      h('p', {}, [h('strong', {}, 'Summary '), summary.summary]),
      htmlTable(['summary word', 'source words it attended to (share)'], wordRows, {
        caption: 'source attribution per summary word (top 3 source words, neighbours merged)',
      }),
      figure === undefined ? null : raw(figure),
    ]);
  });
}
