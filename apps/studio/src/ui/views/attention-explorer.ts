// The text attention explorer: pick words or subword tokens, a layer (or the mean of all) and a head (or the mean of
// all), hover or focus a produced word to shade the words it attended to, and read the whole matrix beside it.
import { attentionMatrixSvg, type AttentionMaps } from '@attn/core-attention';
import { element } from '../dom.js';
import { selectedMatrix, type LayerOrMean } from '../selected-matrix.js';
import { tokenLabel } from '../token-label.js';
import { weightBackground } from '../weight-color.js';
import { wordGroups, wordMatrix, type WordGroup } from '../word-groups.js';

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
 * The explorer, ready to insert; words are shown first, and the first produced word starts selected.
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
  let granularity: Granularity = 'words';
  const tokenUnits = (tokens: readonly string[]): WordGroup[] =>
    tokens.map((token, index) => ({ text: tokenLabel(token).text, tokens: [index] }));
  /** The class of a shown unit: a word, or a token that starts one, is set off by a space. */
  const unitClass = (kind: 'query' | 'key', tokens: readonly string[], unit: WordGroup): string =>
    granularity === 'words' || tokenLabel(tokens[unit.tokens[0]!]!).startsWord
      ? `token ${kind} word-start`
      : `token ${kind}`;
  const units = {
    tokens: { rows: tokenUnits(rowTokens), keys: tokenUnits(maps.keyLabels) },
    words: { rows: wordGroups(rowTokens), keys: wordGroups(maps.keyLabels) },
  };
  let layer: LayerOrMean = 'mean';
  let head: LayerOrMean = 'mean';
  let active = 0;
  let shown: Float32Array = new Float32Array(0); // set by render()

  /** [row units, key units] of the chosen layer, head and granularity. */
  function viewMatrix(): Float32Array {
    const rowsOfView = selectedMatrix(maps, layer, head).slice(
      rowOffset * keys,
      (rowOffset + rows) * keys,
    );
    const { rows: rowUnits, keys: keyUnits } = units[granularity];
    return granularity === 'tokens' ? rowsOfView : wordMatrix(rowsOfView, keys, rowUnits, keyUnits);
  }

  const granularitySelect = element('select', { name: 'granularity' }, [
    element('option', { value: 'words' }, ['words']),
    element('option', { value: 'tokens' }, ['subword tokens']),
  ]);
  granularitySelect.addEventListener('change', () => {
    granularity = granularitySelect.value as Granularity;
    active = 0;
    render();
  });
  const layerSelect = choiceSelect('layer', 'Layer', 'mean of all layers', maps.layers, (value) => {
    layer = value;
    shown = viewMatrix();
    update();
  });
  const headSelect = choiceSelect('head', 'Head', 'mean of all heads', maps.heads, (value) => {
    head = value;
    shown = viewMatrix();
    update();
  });
  const rowGroup = element('div', {
    class: 'token-row queries',
    role: 'group',
    'aria-label': `${rowName} words`,
  });
  const keyRow = element('div', {
    class: 'token-row keys',
    'aria-label': `${keyName} words, shaded by attention`,
    'aria-describedby': 'explorer-reading',
  });
  let rowButtons: HTMLButtonElement[] = [];
  let keySpans: HTMLSpanElement[] = [];
  const figure = element('figure', { class: 'matrix' });
  const caption = element('p', { class: 'hint', id: 'explorer-reading' });
  const unitName = (): string => (granularity === 'words' ? 'word' : 'token');

  /** Rebuilds the rows and keys for the granularity, then shades them. */
  function render(): void {
    const { rows: rowUnits, keys: keyUnits } = units[granularity];
    rowButtons = rowUnits.map((unit, index) => {
      const button = element(
        'button',
        { type: 'button', class: 'token query', 'data-row': index },
        [unit.text],
      );
      const select = (): void => {
        active = index;
        update();
      };
      button.addEventListener('mouseenter', select);
      button.addEventListener('focus', select);
      return button;
    });
    keySpans = keyUnits.map((unit) =>
      element('span', { class: unitClass('key', maps.keyLabels, unit) }, [unit.text]),
    );
    rowGroup.setAttribute('aria-label', `${rowName} ${unitName()}s`);
    keyRow.setAttribute('aria-label', `${keyName} ${unitName()}s, shaded by attention`);
    rowGroup.replaceChildren(...rowButtons);
    keyRow.replaceChildren(...keySpans);
    shown = viewMatrix();
    update();
  }

  /** Shades the keys by the active row's weights and redraws the matrix. */
  function update(): void {
    const { rows: rowUnits, keys: keyUnits } = units[granularity];
    const width = keyUnits.length;
    const weights = shown.subarray(active * width, (active + 1) * width);
    let maxWeight = 0;
    for (const weight of weights) maxWeight = Math.max(maxWeight, weight);
    keySpans.forEach((span, key) => {
      const weight = weights[key]!;
      span.dataset['weight'] = weight.toFixed(4);
      span.style.backgroundColor = weightBackground(weight, maxWeight);
      span.title = `${keyUnits[key]!.text}: ${weight.toFixed(3)}`;
    });
    rowButtons.forEach((button, index) =>
      button.setAttribute('aria-pressed', String(index === active)),
    );
    const best = weights.indexOf(maxWeight);
    caption.textContent = `${rowName} ${unitName()} ${JSON.stringify(rowUnits[active]!.text)} attended most to ${JSON.stringify(keyUnits[best]!.text)} (${maxWeight.toFixed(3)})`;
    // our own renderer's SVG: every label in it is escaped
    figure.innerHTML = attentionMatrixSvg(shown, {
      queryLabels: rowUnits.map((unit) => unit.text),
      keyLabels: keyUnits.map((unit) => unit.text),
      title: `${rowName} (rows) over ${keyName.toLowerCase()} (columns), ${unitName()}s, ${describe(layer, 'layer')}, ${describe(head, 'head')}`,
      highlights: [{ query: active, key: best }],
      cellSize: 18,
    });
  }
  render();

  return element('section', { class: 'explorer', 'aria-label': 'Attention explorer' }, [
    element('div', { class: 'controls' }, [
      element('label', {}, ['Show ', granularitySelect]),
      layerSelect,
      headSelect,
    ]),
    element('p', { class: 'hint' }, [
      `Hover or focus a word (or token) of the ${rowName.toLowerCase()} to shade the ${keyName.toLowerCase()} it attended to. Words: a word's tokens' rows averaged, the attention to a word's tokens summed.`,
    ]),
    element('h3', {}, [rowName]),
    rowGroup,
    element('h3', {}, [keyName]),
    keyRow,
    caption,
    figure,
  ]);
}

/** Rows and keys as words (subword tokens pooled) or as the model's tokens. */
type Granularity = 'words' | 'tokens';

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
