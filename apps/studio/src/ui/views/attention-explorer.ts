// The text attention explorer: pick a layer (or the mean of all) and a head (or the mean of all), hover or focus
// a produced token to shade the tokens it attended to, and read the whole matrix beside it.
import { attentionMatrixSvg, type AttentionMaps } from '@attn/core-attention';
import { element } from '../dom.js';
import { selectedMatrix, type LayerOrMean } from '../selected-matrix.js';
import { tokenLabel } from '../token-label.js';
import { weightBackground } from '../weight-color.js';

export interface AttentionExplorerOptions {
  maps: AttentionMaps;
  /** The tokens the rows produced; row i of the view is row `rowOffset + i` of the maps. */
  rowTokens: readonly string[];
  rowOffset: number;
  /** What the rows and the keys are, for headings and labels: 'Translation', 'Source'. */
  rowName: string;
  keyName: string;
}

/**
 * The explorer, ready to insert; the first produced token starts selected.
 *
 * @example
 * ```ts
 * result.append(attentionExplorer({ maps, rowTokens: targetTokens, rowOffset: 0, rowName: 'Translation', keyName: 'Source' }));
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the rows do not fit the maps.
 */
export function attentionExplorer(options: AttentionExplorerOptions): HTMLElement {
  const { maps, rowTokens, rowOffset, rowName, keyName } = options;
  const keys = maps.keyLabels.length;
  const rows = rowTokens.length;
  let layer: LayerOrMean = 'mean';
  let head: LayerOrMean = 'mean';
  let active = 0;
  let matrix = selectedMatrix(maps, layer, head);

  const layerSelect = choiceSelect('layer', 'Layer', 'mean of all layers', maps.layers, (value) => {
    layer = value;
    update(true);
  });
  const headSelect = choiceSelect('head', 'Head', 'mean of all heads', maps.heads, (value) => {
    head = value;
    update(true);
  });
  const rowButtons = rowTokens.map((token, index) => {
    const { text, startsWord } = tokenLabel(token);
    const button = element(
      'button',
      { type: 'button', class: `token query${startsWord ? ' word-start' : ''}`, 'data-row': index },
      [text],
    );
    const select = (): void => {
      active = index;
      update(false);
    };
    button.addEventListener('mouseenter', select);
    button.addEventListener('focus', select);
    return button;
  });
  const keySpans = maps.keyLabels.map((token) => {
    const { text, startsWord } = tokenLabel(token);
    return element('span', { class: `token key${startsWord ? ' word-start' : ''}` }, [text]);
  });
  const figure = element('figure', { class: 'matrix' });
  const caption = element('p', { class: 'hint', id: 'explorer-reading' });

  function update(newSelection: boolean): void {
    if (newSelection) matrix = selectedMatrix(maps, layer, head);
    const from = (rowOffset + active) * keys;
    const weights = matrix.subarray(from, from + keys);
    let maxWeight = 0;
    for (const weight of weights) maxWeight = Math.max(maxWeight, weight);
    keySpans.forEach((span, key) => {
      const weight = weights[key]!;
      span.dataset['weight'] = weight.toFixed(4);
      span.style.backgroundColor = weightBackground(weight, maxWeight);
      span.title = `${maps.keyLabels[key]}: ${weight.toFixed(3)}`;
    });
    rowButtons.forEach((button, index) =>
      button.setAttribute('aria-pressed', String(index === active)),
    );
    const best = weights.indexOf(maxWeight);
    caption.textContent = `${rowName} token ${JSON.stringify(tokenLabel(rowTokens[active]!).text)} attended most to ${JSON.stringify(tokenLabel(maps.keyLabels[best]!).text)} (${maxWeight.toFixed(3)})`;
    const shown = matrix.subarray(rowOffset * keys, (rowOffset + rows) * keys);
    // our own renderer's SVG: every label in it is escaped
    figure.innerHTML = attentionMatrixSvg(shown, {
      queryLabels: rowTokens,
      keyLabels: maps.keyLabels,
      title: `${rowName} (rows) over ${keyName.toLowerCase()} (columns), ${describe(layer, 'layer')}, ${describe(head, 'head')}`,
      highlights: [{ query: active, key: best }],
      cellSize: 18,
    });
  }
  update(false);

  return element('section', { class: 'explorer', 'aria-label': 'Attention explorer' }, [
    element('div', { class: 'controls' }, [layerSelect, headSelect]),
    element('p', { class: 'hint' }, [
      `Hover or focus a token of the ${rowName.toLowerCase()} to shade the ${keyName.toLowerCase()} tokens it attended to.`,
    ]),
    element('h3', {}, [rowName]),
    element(
      'div',
      { class: 'token-row queries', role: 'group', 'aria-label': `${rowName} tokens` },
      rowButtons,
    ),
    element('h3', {}, [keyName]),
    element(
      'div',
      {
        class: 'token-row keys',
        'aria-label': `${keyName} tokens, shaded by attention`,
        'aria-describedby': 'explorer-reading',
      },
      keySpans,
    ),
    caption,
    figure,
  ]);
}

function describe(choice: LayerOrMean, what: string): string {
  return choice === 'mean' ? `mean of all ${what}s` : `${what} ${choice}`;
}

/** A labelled select of 'mean' and each original index. */
function choiceSelect(
  name: string,
  label: string,
  meanLabel: string,
  indices: readonly number[],
  onChange: (value: LayerOrMean) => void,
): HTMLLabelElement {
  const select = element('select', { name }, [
    element('option', { value: 'mean' }, [meanLabel]),
    ...indices.map((index) =>
      element('option', { value: index }, [`${label.toLowerCase()} ${index}`]),
    ),
  ]);
  select.addEventListener('change', () =>
    onChange(select.value === 'mean' ? 'mean' : Number(select.value)),
  );
  return element('label', {}, [`${label} `, select]);
}
