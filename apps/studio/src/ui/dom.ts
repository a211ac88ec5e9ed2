// Building live DOM nodes: element(tag, attributes, children). Text goes in as text nodes and attributes through
// setAttribute, so nothing a model or a user wrote is ever parsed as markup.

/** What element() accepts as a child: nodes, text, or nothing (null, undefined, false). */
export type Child = Node | string | null | undefined | false;

/**
 * A new `tag` element with `attributes` (false and undefined omit one, true writes it bare) and `children`.
 *
 * @example
 * ```ts
 * element('button', { type: 'button', 'aria-pressed': 'false' }, ['Hund']).outerHTML;
 * // '<button type="button" aria-pressed="false">Hund</button>'
 * ```
 */
export function element<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Readonly<Record<string, string | number | boolean | undefined>> = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[Tag] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/**
 * The warnings of a result as a list, or nothing when there are none.
 *
 * @example
 * ```ts
 * warningList(['the source was truncated']); // <ul class="warnings">…</ul>
 * ```
 */
export function warningList(warnings: readonly string[]): HTMLElement | null {
  if (warnings.length === 0) return null;
  return element(
    'ul',
    { class: 'warnings', 'aria-label': 'Warnings' },
    warnings.map((warning) => element('li', {}, [warning])),
  );
}
