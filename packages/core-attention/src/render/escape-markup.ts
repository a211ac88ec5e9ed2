// Escaping text for HTML and XML (SVG): the five special characters become entities, and characters
// XML 1.0 forbids (C0 controls other than tab / newline / return, lone surrogates, U+FFFE/U+FFFF)
// become U+FFFD, so any token text yields well-formed markup. https://www.w3.org/TR/xml/#charsets
const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const forbidden =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Escapes text for use as HTML / XML text or as a quoted attribute value.
 *
 * @example
 * ```ts
 * escapeMarkup(`<b class="x">Tom & Jerry's</b>`);
 * // '&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;'
 * escapeMarkup('a\u0000b'); // 'a\uFFFDb'
 * ```
 */
export function escapeMarkup(text: string): string {
  return text
    .replace(/[&<>"']/g, (character) => entities[character] as string)
    .replace(forbidden, '\ufffd');
}
