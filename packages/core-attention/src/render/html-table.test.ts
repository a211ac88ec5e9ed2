import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import { raw } from './html.js';
import { htmlTable } from './html-table.js';

describe('htmlTable', () => {
  it('builds header and body rows, escaping cells unless raw', () => {
    expect(
      htmlTable(
        ['word', raw('<i>weight</i>')],
        [
          ['a<b', 0.5],
          ['c', raw('<b>1</b>')],
        ],
        { caption: 'Top & bottom' },
      ).html,
    ).toBe(
      '<table class="attn-table"><caption>Top &amp; bottom</caption>' +
        '<thead><tr><th>word</th><th><i>weight</i></th></tr></thead>' +
        '<tbody><tr><td>a&lt;b</td><td>0.5</td></tr><tr><td>c</td><td><b>1</b></td></tr></tbody></table>',
    );
    expect(htmlTable(['x'], []).html).toBe(
      '<table class="attn-table"><thead><tr><th>x</th></tr></thead><tbody></tbody></table>',
    );
  });

  it('rejects empty headers and rows of another width', () => {
    expect(() => htmlTable([], [])).toThrow(AttnError);
    expect(() => htmlTable(['a', 'b'], [['1', '2'], ['3']])).toThrow(
      'htmlTable(): rows[1] must be 2 cells, one per header, got',
    );
  });
});
