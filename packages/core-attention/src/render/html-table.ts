// A plain HTML table built with h(): header cells, body rows, optional caption; content escaped unless raw().
import { describeValue, invalidArgument } from '../errors/index.js';
import { h, type Html, type HtmlChild } from './html.js';

/**
 * A `<table class="attn-table">` with one header row and one body row per entry of `rows`.
 *
 * @example
 * ```ts
 * htmlTable(['word', 'weight'], [['a<b', 0.5]], { caption: 'Top words' }).html;
 * // '<table class="attn-table"><caption>Top words</caption><thead><tr><th>word</th><th>weight</th></tr></thead>'
 * // + '<tbody><tr><td>a&lt;b</td><td>0.5</td></tr></tbody></table>'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `headers` is empty or a row has a different number of cells.
 */
export function htmlTable(
  headers: readonly HtmlChild[],
  rows: readonly (readonly HtmlChild[])[],
  options: { caption?: string } = {},
): Html {
  if (!Array.isArray(headers) || headers.length === 0) {
    throw invalidArgument('htmlTable', 'headers', 'a non-empty array', describeValue(headers));
  }
  const body = rows.map((row, index) => {
    if (!Array.isArray(row) || row.length !== headers.length) {
      throw invalidArgument(
        'htmlTable',
        `rows[${index}]`,
        `${headers.length} cells, one per header`,
        describeValue(row),
      );
    }
    return h(
      'tr',
      {},
      row.map((cell) => h('td', {}, cell)),
    );
  });
  return h('table', { class: 'attn-table' }, [
    options.caption === undefined ? null : h('caption', {}, options.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((header) => h('th', {}, header)),
      ),
    ),
    h('tbody', {}, body),
  ]);
}
