// The reply and where it looked: each turn of the conversation with its share of the reply's attention.
import type { ChatResult } from '../../api/studio-api.js';
import { element, warningList } from '../dom.js';

/**
 * The view of a chat reply; `messages` are the turns that were sent.
 *
 * @example
 * ```ts
 * resultSection.replaceChildren(chatView(result, [{ role: 'user', content: 'Hi!' }]));
 * ```
 */
export function chatView(
  result: ChatResult,
  messages: readonly { role: string; content: string }[],
): HTMLElement {
  const turns = result.turnAttention.map(({ turn, role, weight }) =>
    element('li', {}, [
      element('span', { class: 'role' }, [role]),
      element('span', { class: 'turn-text' }, [messages[turn]?.content ?? '']),
      element('meter', {
        min: 0,
        max: 1,
        value: weight,
        'aria-label': `share of attention on turn ${turn + 1}`,
      }),
      element('span', { class: 'weight' }, [`${(weight * 100).toFixed(1)} %`]),
    ]),
  );
  return element('article', { class: 'result' }, [
    element('h2', {}, ['Reply']),
    element('p', { class: 'prediction' }, [result.reply === '' ? '(empty reply)' : result.reply]),
    element('h3', {}, ['Share of the reply’s attention on each turn']),
    element('ol', { class: 'turns' }, turns),
    warningList(result.warnings),
  ]);
}
