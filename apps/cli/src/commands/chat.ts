// `attn chat`: the next turn of a conversation from a dialogue model, with the share of the reply's attention
// that fell on each earlier turn. One-shot from arguments, --file or stdin; interactive on a terminal.
import { h, htmlTable } from '@attn/core-attention';
import type { ChatMessage, ChatOptions, ChatReply } from '@attn/nlp';
import type { CliIo } from '../cli-io.js';
import type { Command, Invocation } from '../command.js';
import { defaultModels } from '../default-models.js';
import { flagOption, integerOption, numberOption, stringOption } from '../input/option-values.js';
import { readTextInput } from '../input/read-text-input.js';
import { modelSource } from '../model-source.js';
import { outputMode, printJson, printNotes } from '../output/command-output.js';
import { outTarget, renderToFiles } from '../output/out-target.js';
import { writeMatrixFigure, type MatrixFigure } from '../output/write-matrix-figure.js';
import { pipelineOptions } from '../pipeline-options.js';
import { terminalStyle } from '../terminal/terminal-style.js';
import { weightBar } from '../terminal/weight-bar.js';
import { usageError } from '../usage-error.js';
import { chatReplyJson, chatSession } from './chat-session.js';

const name = 'chat';
const formats = ['svg', 'png', 'html'] as const;

/**
 * `attn chat`.
 *
 * @example
 * ```ts
 * await runCli(['chat', 'Hi!', '--model', './my-gpt2', '--json'], io); // 0; one JSON document
 * ```
 */
export const chatCommand: Command = {
  name,
  summary: 'reply to a conversation, with the share of attention each earlier turn received',
  usage: [
    "attn chat '<turn>' ['<turn>' ...] [options]",
    'attn chat --file conversation.json [options]',
    'attn chat                       (interactive, on a terminal)',
  ],
  description: [
    "Each argument is one turn; turns alternate between user and assistant and the last is the user's.\n" +
      'A --file or stdin holds a JSON array of { role, content } (role user, assistant or system), or one\n' +
      'turn per line. Without any of these on a terminal (or with --interactive) the chat is interactive:\n' +
      'type a turn, read the reply; Ctrl-D ends.',
    "After each reply: every turn with its share of the reply's attention to the conversation (decoder\n" +
      'self-attention of the rows that produced the reply, layers and heads averaged).',
  ],
  options: {
    file: {
      type: 'string',
      short: 'f',
      value: '<path>',
      description:
        'read the conversation from a file: a JSON array of messages, or one turn per line',
    },
    interactive: {
      type: 'boolean',
      short: 'i',
      description: 'chat turn by turn, reading stdin line by line',
    },
    'max-tokens': { type: 'string', value: '<n>', description: 'longest reply in tokens' },
    sample: {
      type: 'boolean',
      description: 'sample the reply instead of taking the most likely tokens',
    },
    temperature: { type: 'string', value: '<t>', description: 'sampling temperature (default 1)' },
    'top-p': {
      type: 'string',
      value: '<p>',
      description: 'sample among the tokens holding this probability mass',
    },
    seed: {
      type: 'string',
      value: '<n>',
      description: 'seed of the sampler, to repeat a sampled reply',
    },
    ...pipelineOptions(defaultModels.chat, formats),
  },
  json: [
    '{ command, model, files, results: [{ messages, reply, replyTokens, finishReason,',
    '  turnAttention: [{ turn, role, weight, content }], warnings, attention? }] }',
    '  interactive: one such document per reply, each on one line (JSON Lines)',
  ],
  examples: [
    "attn chat 'Do you like the new teacher?' 'Yes, she is very kind.' 'What does she teach?'",
    'attn chat --file conversation.json --json',
    'attn chat --sample --seed 7',
  ],
  positionals: true,
  run: runChat,
};

async function runChat({ values, positionals, io }: Invocation): Promise<void> {
  const out = outTarget(name, values, formats);
  const mode = outputMode(name, values);
  const file = stringOption(values, 'file');
  const interactive =
    flagOption(values, 'interactive') ||
    (positionals.length === 0 && file === undefined && io.stdin.isTTY === true);
  if (interactive && out !== undefined)
    throw usageError(
      name,
      '--out needs a one-shot chat',
      'pass the conversation as arguments or with --file',
    );
  const source = modelSource(values, defaultModels.chat);
  const options: ChatOptions = {
    ...source,
    maxNewTokens: integerOption(name, values, 'max-tokens', 1),
    doSample: flagOption(values, 'sample') || undefined,
    temperature: numberOption(name, values, 'temperature', 0, Infinity),
    topP: numberOption(name, values, 'top-p', 0, 1),
    seed: integerOption(name, values, 'seed', 0),
    signal: io.signal,
  };
  const style = terminalStyle(io.stdout, io.env);
  const { chat, disposeTextModels } = await import('@attn/nlp');
  try {
    if (interactive) {
      await chatSession(io, source, options, mode, style, turns(positionals));
      return;
    }
    const messages = positionals.length > 0 ? turns(positionals) : await readConversation(file, io);
    const result = await chat(messages, options);
    const files = await renderToFiles(out, 1, (path, _index, format) =>
      writeMatrixFigure(format, path, replyFigure(result, messages)),
    );
    if (mode.json) {
      printJson(io, {
        command: name,
        model: source.model,
        results: [chatReplyJson(messages, result, mode.attentionMaps)],
        files,
      });
      return;
    }
    const lines = [
      style.bold(result.reply),
      '',
      "Share of the reply's attention on each turn:",
      ...result.turnAttention.map(
        ({ turn, role, weight }) =>
          `  #${turn} ${role.padEnd(9)} ${weightBar(weight)}  ${oneLine(messages[turn]?.content ?? '')}`,
      ),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    printNotes(io, name, result.warnings, files);
  } finally {
    await disposeTextModels();
  }
}

/** Turns in order, roles alternating so that the last is the user's. */
function turns(contents: readonly string[]): ChatMessage[] {
  return contents.map((content, index) => ({
    role: (contents.length - 1 - index) % 2 === 0 ? 'user' : 'assistant',
    content,
  }));
}

async function readConversation(file: string | undefined, io: CliIo): Promise<ChatMessage[]> {
  const { text } = await readTextInput(
    name,
    { inline: [], inlineHint: 'as arguments (one per turn)', file, what: 'conversation' },
    io,
  );
  if (!text.trimStart().startsWith('['))
    return turns(text.split(/\r?\n/).filter((line) => line.trim() !== ''));
  try {
    // the pipeline checks every message and names the first bad index and field
    return JSON.parse(text) as ChatMessage[];
  } catch (error) {
    throw usageError(
      name,
      `the conversation is not valid JSON (${(error as Error).message})`,
      'give a JSON array of { "role": "user", "content": "…" }, or one turn per line',
      error,
    );
  }
}

function replyFigure(result: ChatReply, messages: readonly ChatMessage[]): MatrixFigure {
  return {
    title:
      'attn chat: self-attention over the conversation and the reply (mean of layers and heads)',
    maps: result.attention,
    body: h('div', {}, [
      htmlTable(
        ['turn', 'role', 'content', "share of the reply's attention"],
        result.turnAttention.map(({ turn, role, weight }) => [
          turn,
          role,
          messages[turn]?.content ?? '',
          weight.toFixed(3),
        ]),
      ),
      h('p', {}, [h('strong', {}, 'Reply '), result.reply]),
    ]),
  };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}
