// Section: dialogue (attn/chat-dailydialog by default) — the next turn of a conversation and the share of the
// reply's attention that fell on each earlier turn, drawn as bars.
import { h, htmlTable } from '@attn/core-attention';
import { chat, type ChatMessage } from '@attn/nlp';
import type { ReportSection } from '../report.js';
import { taskSection } from '../task-section.js';

/**
 * The chat section: `messages` continued by `model`, with the attention mass per turn.
 *
 * @example
 * ```ts
 * const section = await chatSection('attn/chat-dailydialog', [{ role: 'user', content: 'Hi, how are you?' }]);
 * section.body.html; // '<div>…<span class="bar" style="width: 10.00em"></span> 100.0%…<strong>reply </strong>…'
 * ```
 * @throws {AttnError} the errors of chat(), except MODEL_NOT_FOUND for a shipped model (see taskSection).
 */
export function chatSection(
  model: string,
  messages: readonly ChatMessage[],
): Promise<ReportSection> {
  const heading = {
    id: 'chat',
    title: 'Dialogue with attention over the history',
    summary:
      "The model writes the next turn; each earlier turn's bar is the share of the reply's attention to the conversation that fell on it (self-attention of the reply tokens, layers and heads averaged).",
  };
  return taskSection(heading, model, async () => {
    const result = await chat(messages, { model, maxNewTokens: 40 });
    const rows = result.turnAttention.map(({ turn, role, weight }) => [
      String(turn),
      role,
      messages[turn]?.content ?? '',
      [
        h('span', { class: 'bar', style: `width: ${(10 * weight).toFixed(2)}em` }),
        ` ${(100 * weight).toFixed(1)}%`,
      ],
    ]);
    return h('div', {}, [
      htmlTable(['turn', 'role', 'message', 'share of the reply’s attention'], rows),
      h('p', {}, [h('strong', {}, 'reply '), result.reply]),
      result.warnings.length === 0 ? null : h('p', { class: 'note' }, result.warnings.join(' ')),
    ]);
  });
}
