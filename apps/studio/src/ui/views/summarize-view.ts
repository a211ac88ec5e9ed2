// The summary: hover a summary word to shade the source it drew on (by default the share of attention each
// source sentence got), and the attention explorer over source tokens.
import { attentionMapsFromJSON } from '@attn/core-attention';
import type { SummarizeResult } from '../../api/studio-api.js';
import { element, warningList } from '../dom.js';
import { attentionExplorer } from './attention-explorer.js';
import { highlightText } from './highlighted-text.js';

/**
 * The view of a summary.
 *
 * @example
 * ```ts
 * resultSection.replaceChildren(summarizeView(result));
 * ```
 */
export function summarizeView(result: SummarizeResult): HTMLElement {
  const source = element('p', { class: 'source-text', 'aria-live': 'polite' });
  const showSentences = (): void => highlightText(source, result.source, result.sourceHighlights);
  const words = result.words.map(({ word, sources }) => {
    const button = element('button', { type: 'button', class: 'token query word-start' }, [word]);
    const show = (): void => highlightText(source, result.source, sources);
    button.addEventListener('mouseenter', show);
    button.addEventListener('focus', show);
    button.addEventListener('mouseleave', showSentences);
    button.addEventListener('blur', showSentences);
    return button;
  });
  showSentences();
  const maps = result.attention === null ? undefined : attentionMapsFromJSON(result.attention);
  return element('article', { class: 'result' }, [
    element('h2', {}, ['Summary']),
    element(
      'div',
      { class: 'token-row queries', role: 'group', 'aria-label': 'Summary words' },
      words,
    ),
    element('p', { class: 'hint' }, [
      'Hover or focus a summary word to shade the source spans it drew on; otherwise each source sentence is shaded by its share of the attention.',
    ]),
    source,
    warningList(result.warnings),
    maps === undefined
      ? null
      : attentionExplorer({
          maps,
          rowTokens: result.summaryTokens,
          rowOffset: maps.dims[2] - result.summaryTokens.length,
          rowName: 'Summary',
          keyName: 'Source',
        }),
  ]);
}
