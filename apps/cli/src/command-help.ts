// The --help texts: `attn --help` lists the commands, `attn <command> --help` shows one command's usage, input,
// options, JSON fields and examples; both end with the exit-code table.
import type { Command } from './command.js';
import { exitCodeTable } from './exit-codes.js';

/**
 * The help of one command.
 *
 * @example
 * ```ts
 * commandHelp(translateCommand).split('\n')[0];
 * // 'attn translate — translate text, with the word alignment its cross-attention implies'
 * ```
 * @throws never.
 */
export function commandHelp(command: Command): string {
  const options = Object.entries(command.options).map(([name, option]) => {
    const flag = `${option.short === undefined ? '    ' : `-${option.short}, `}--${name}${option.value === undefined ? '' : ` ${option.value}`}`;
    return [flag, option.description] as const;
  });
  options.push(['-h, --help', 'show this help']);
  const width = Math.max(...options.map(([flag]) => flag.length)) + 2;
  return [
    `attn ${command.name} — ${command.summary}`,
    '',
    'Usage',
    ...command.usage.map((line) => `  ${line}`),
    '',
    ...command.description.flatMap((paragraph) => [paragraph, '']),
    'Options',
    ...options.map(([flag, description]) => `  ${flag.padEnd(width)}${description}`),
    '',
    ...(command.json.length === 0
      ? []
      : ['JSON (--json)', ...command.json.map((line) => `  ${line}`), '']),
    'Examples',
    ...command.examples.map((line) => `  ${line}`),
    '',
    'Exit codes',
    ...exitCodeTable(),
    '',
  ].join('\n');
}

/**
 * The help of `attn` itself: every command with its summary.
 *
 * @example
 * ```ts
 * overviewHelp(commands).includes('  translate    translate text'); // true
 * ```
 * @throws never.
 */
export function overviewHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 3;
  return [
    'attn — machine-learning inference with the attention behind every answer',
    '',
    'Usage',
    '  attn <command> [arguments] [options]',
    '  attn <command> --help',
    '',
    'Commands',
    ...commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'Every command prints text for people, or JSON with --json; pipeline commands render their attention with',
    '--out to .png, .svg or .html. Colour is used only on a terminal and never when NO_COLOR is set.',
    'Models: --model takes attn/<name>, a model folder or a Hugging Face hub id; --offline or HF_HUB_OFFLINE=1',
    'forbids downloads; hub files are cached under HF_HOME as the Python tools do.',
    '',
    'Exit codes',
    ...exitCodeTable(),
    '',
  ].join('\n');
}
