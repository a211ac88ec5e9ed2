// The translation: the text, the attention explorer over source tokens, and the word alignment it implies.
import { attentionMapsFromJSON } from '@attn/core-attention';
import type { TranslateResult } from '../../api/studio-api.js';
import { element, warningList } from '../dom.js';
import { attentionExplorer } from './attention-explorer.js';

/**
 * The view of a translation.
 *
 * @example
 * ```ts
 * resultSection.replaceChildren(translateView(await runTask('translate', …)));
 * ```
 */
export function translateView(result: TranslateResult): HTMLElement {
  const links = element(
    'ol',
    { class: 'alignment', 'aria-label': 'Word alignment' },
    result.alignment.map(({ source, target, weight }) =>
      element('li', {}, [
        `${result.targetWords[target] ?? '?'} ← ${result.sourceWords[source] ?? '?'} `,
        element('span', { class: 'weight' }, [weight.toFixed(2)]),
      ]),
    ),
  );
  const maps = result.attention === null ? undefined : attentionMapsFromJSON(result.attention);
  return element('article', { class: 'result' }, [
    element('h2', {}, ['Translation']),
    element('p', { class: 'prediction', lang: 'de' }, [result.text]),
    warningList(result.warnings),
    maps === undefined
      ? null
      : attentionExplorer({
          maps,
          rowTokens: result.targetTokens,
          rowOffset: maps.dims[2] - result.targetTokens.length,
          rowName: 'Translation',
          keyName: 'Source',
        }),
    element('h3', {}, ['Word alignment (layers and heads averaged)']),
    links,
  ]);
}
