import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import { escapeMarkup } from './escape-markup.js';
import { h, raw, type Html } from './html.js';

describe('escapeMarkup', () => {
  it('turns the five special characters into entities', () => {
    expect(escapeMarkup(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
    expect(escapeMarkup('&amp;')).toBe('&amp;amp;');
  });

  it('replaces characters XML forbids but keeps tab, newline, emoji and other text', () => {
    expect(escapeMarkup('a\u0000b\u001fc\ud800d\udc00e\uffff')).toBe(
      'a\ufffdb\ufffdc\ufffdd\ufffde\ufffd',
    );
    expect(escapeMarkup('tab\tline\nüber 😀 ▁token')).toBe('tab\tline\nüber 😀 ▁token');
  });
});

describe('h', () => {
  it('escapes text children and attribute values by default', () => {
    expect(h('p', { title: `"><script>`, class: 'a&b' }, '<script>alert(1)</script>').html).toBe(
      '<p title="&quot;&gt;&lt;script&gt;" class="a&amp;b">&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('passes raw() markup and nested elements through, flattening lists and dropping empty children', () => {
    const figure = h('figure', { 'data-layer': 2 }, [
      raw('<svg viewBox="0 0 1 1"></svg>'),
      [h('figcaption', {}, ['a ', 3, null, false, undefined])],
    ]);
    expect(figure.html).toBe(
      '<figure data-layer="2"><svg viewBox="0 0 1 1"></svg><figcaption>a 3</figcaption></figure>',
    );
  });

  it('writes boolean attributes bare, omits false, null and undefined, and closes no void element', () => {
    expect(
      h('input', { type: 'checkbox', checked: true, disabled: false, name: null, value: undefined })
        .html,
    ).toBe('<input type="checkbox" checked>');
    expect(h('br').html).toBe('<br>');
    expect(h('div').html).toBe('<div></div>');
  });

  it('escapes an object that only looks like markup', () => {
    const forged = { html: '<img src=x onerror=alert(1)>' } as unknown as Html;
    expect(h('div', {}, forged).html).toBe('<div>[object Object]</div>');
  });

  it('rejects unsafe tag and attribute names, children of void elements and non-string raw markup', () => {
    const attempts = [
      () => h('div onclick=alert(1)'),
      () => h('', {}),
      () => h('a', { 'onclick="x"': 'y' }),
      () => h('a', { 'a b': 'y' }),
      () => h('img', {}, 'text'),
      () => raw(42 as unknown as string),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(AttnError);
    expect(() => h('img', {}, 'text')).toThrow(
      'h(): children must be nothing for the void element <img>',
    );
  });
});
