// Every command of `attn`, in the order `attn --help` lists them.
import type { Command } from '../command.js';
import { askCommand } from './ask.js';
import { chatCommand } from './chat.js';
import { detectCommand } from './detect.js';
import { modelsCommand } from './models.js';
import { segmentCommand } from './segment.js';
import { summarizeCommand } from './summarize.js';
import { transcribeCommand } from './transcribe.js';
import { translateCommand } from './translate.js';

/**
 * The commands, in --help order.
 *
 * @example
 * ```ts
 * commands.map((command) => command.name);
 * // ['translate', 'summarize', 'ask', 'chat', 'detect', 'segment', 'transcribe', 'models']
 * ```
 */
export const commands: readonly Command[] = [
  translateCommand,
  summarizeCommand,
  askCommand,
  chatCommand,
  detectCommand,
  segmentCommand,
  transcribeCommand,
  modelsCommand,
];
