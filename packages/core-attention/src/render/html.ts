// A tiny HTML builder: h(tag, attributes, children) escapes every text child and attribute value by
// default; raw() is the one explicit way in for trusted markup (an SVG from attentionMatrixSvg).
// Escaping makes text inert; it does not vet URLs, so never put untrusted input in href or src.
import { describeValue, invalidArgument } from '../errors/index.js';
import { escapeMarkup } from './escape-markup.js';

const trusted = Symbol.for('@attn/core-attention/Html');

/** Markup safe to insert as it is: built by {@link h} or declared trusted with {@link raw}. */
export interface Html {
  readonly html: string;
  readonly [trusted]: true;
}

/** What {@link h} accepts as children: text (escaped), numbers, markup, nested lists; null, undefined and false render nothing. */
export type HtmlChild = string | number | Html | null | undefined | false | readonly HtmlChild[];

/** Attribute values: text and numbers (escaped); `true` writes a bare boolean attribute; false, null and undefined omit it. */
export type HtmlAttributes = Readonly<Record<string, string | number | boolean | null | undefined>>;

const voidElements = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/**
 * Marks `markup` as trusted, so {@link h} inserts it unescaped. Only for markup this program made.
 *
 * @example
 * ```ts
 * h('figure', {}, raw('<svg></svg>')).html; // '<figure><svg></svg></figure>'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `markup` is not a string.
 */
export function raw(markup: string): Html {
  if (typeof markup !== 'string')
    throw invalidArgument('raw', 'markup', 'a string', describeValue(markup));
  return { html: markup, [trusted]: true };
}

/**
 * Builds one element. Text children and attribute values are escaped; {@link raw} markup is not.
 *
 * @example
 * ```ts
 * h('p', { class: 'note', hidden: false }, ['1 < 2 & ', h('b', {}, 'bold')]).html;
 * // '<p class="note">1 &lt; 2 &amp; <b>bold</b></p>'
 * h('img', { src: 'a.png', alt: '"quoted"' }).html; // '<img src="a.png" alt="&quot;quoted&quot;">'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the tag or an attribute name is not a plain name, or a
 * void element (img, br, ...) is given children.
 */
export function h(tag: string, attributes: HtmlAttributes = {}, children: HtmlChild = []): Html {
  if (typeof tag !== 'string' || !/^[a-z][a-z0-9-]*$/i.test(tag)) {
    throw invalidArgument('h', 'tag', 'an element name such as div or svg', describeValue(tag));
  }
  let markup = `<${tag}`;
  for (const [name, value] of Object.entries(attributes)) {
    if (!/^[a-z_:][a-z0-9_:.-]*$/i.test(name)) {
      throw invalidArgument(
        'h',
        'attributes',
        'names of letters, digits, -, _, : and .',
        describeValue(name),
      );
    }
    if (value === true) markup += ` ${name}`;
    else if (value !== false && value !== null && value !== undefined)
      markup += ` ${name}="${escapeMarkup(String(value))}"`;
  }
  const content = render(children);
  if (voidElements.has(tag.toLowerCase())) {
    if (content !== '')
      throw invalidArgument(
        'h',
        'children',
        `nothing for the void element <${tag}>`,
        describeValue(children),
      );
    return raw(`${markup}>`);
  }
  return raw(`${markup}>${content}</${tag}>`);
}

function render(child: HtmlChild): string {
  if (child === null || child === undefined || child === false) return '';
  if (typeof child === 'string') return escapeMarkup(child);
  if (typeof child === 'number') return String(child);
  if (Array.isArray(child)) return child.map(render).join('');
  const markup = child as Html;
  return markup[trusted] === true ? markup.html : escapeMarkup(String(child));
}
