// The interactive side of `attn chat`: a conversation read from stdin a turn per line, each reply streamed as it is
// generated, and the JSON form of a reply that the one-shot chat prints too.
import { createInterface } from 'node:readline';
import { AttnError } from '@attn/core-attention';
import type { ChatMessage, ChatOptions, ChatReply } from '@attn/nlp';
import type { CliIo } from '../cli-io.js';
import type { ModelSource } from '../model-source.js';
import { attentionJson } from '../output/attention-json.js';
import { printNotes, type OutputMode } from '../output/command-output.js';
import type { TerminalStyle } from '../terminal/terminal-style.js';

const name = 'chat';

/**
 * Chats turn by turn: each non-empty line of stdin is the user's next turn, the reply is streamed as it is
 * generated and followed by the turns it attended to most (or, with --json, one JSON document per reply, on one
 * line). `history` seeds the conversation and is answered first when it is not empty. Ends at the end of stdin.
 *
 * @example
 * ```ts
 * // printf 'hello there\n' | attn chat --interactive
 * await chatSession(io, source, options, { json: false, attentionMaps: false }, style, []);
 * ```
 * @throws {AttnError} ABORTED on Ctrl-C; chatStream's errors for a bad model or options.
 */
export async function chatSession(
  io: CliIo,
  source: ModelSource,
  options: ChatOptions,
  mode: OutputMode,
  style: TerminalStyle,
  history: ChatMessage[],
): Promise<void> {
  const { chatStream } = await import('@attn/nlp');
  const terminal = io.stdin.isTTY === true;
  const lines = createInterface({ input: io.stdin, terminal: false });
  io.signal.addEventListener('abort', () => lines.close(), { once: true });
  if (terminal) io.stdout.write(`${style.dim(`Chatting with ${source.model}; Ctrl-D ends.`)}\n`);
  const reply = async (): Promise<void> => {
    let result: ChatReply | undefined;
    for await (const event of chatStream(history, options)) {
      if (event.kind === 'done') result = event.result;
      else if (!mode.json) io.stdout.write(event.text);
    }
    if (result === undefined) return;
    // an empty reply cannot be a turn of the next prompt: it is kept as an ellipsis
    history.push({ role: 'assistant', content: result.reply.trim() === '' ? '…' : result.reply });
    if (mode.json) {
      const report = {
        command: name,
        model: source.model,
        results: [chatReplyJson(history.slice(0, -1), result, mode.attentionMaps)],
        files: [],
      };
      io.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    const strongest = [...result.turnAttention]
      .sort((first, second) => second.weight - first.weight)
      .slice(0, 5);
    const attended = strongest
      .map(({ turn, weight }) => `#${turn} ${Math.round(weight * 100)}%`)
      .join(' · ');
    io.stdout.write(`\n${style.dim(`  attended to turns: ${attended}`)}\n`);
    printNotes(io, name, result.warnings, []);
  };
  if (history.length > 0) await reply();
  if (terminal) io.stdout.write(style.bold('you> '));
  for await (const line of lines) {
    if (line.trim() !== '') {
      history.push({ role: 'user', content: line });
      await reply();
    }
    if (terminal) io.stdout.write(style.bold('you> '));
  }
  if (io.signal.aborted)
    throw new AttnError('ABORTED', 'attn chat: interrupted', { cause: io.signal.reason });
  if (terminal) io.stdout.write('\n');
}

/**
 * A reply as it appears in --json output: the conversation, the reply, and each turn's attention share with its text.
 *
 * @example
 * ```ts
 * chatReplyJson([{ role: 'user', content: 'Hi!' }], reply, false).turnAttention;
 * // [{ turn: 0, role: 'user', weight: 1, content: 'Hi!' }]
 * ```
 * @throws never.
 */
export function chatReplyJson(
  messages: readonly ChatMessage[],
  result: ChatReply,
  attentionMaps: boolean,
) {
  return {
    messages,
    reply: result.reply,
    replyTokens: result.replyTokens,
    finishReason: result.finishReason,
    turnAttention: result.turnAttention.map((turn) => ({
      ...turn,
      content: messages[turn.turn]?.content,
    })),
    warnings: result.warnings,
    ...attentionJson(result.attention, attentionMaps),
  };
}
