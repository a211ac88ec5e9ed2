// A command's arguments parsed with node:util parseArgs (strict: unknown options are errors), its failures turned
// into usage errors that name the command and point at its --help.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command } from './command.js';
import type { OptionValues } from './input/option-values.js';
import { usageError } from './usage-error.js';

/** The command line of one command, parsed. */
export interface ParsedCommandLine {
  values: OptionValues;
  positionals: string[];
  /** -h or --help was given (anywhere before a `--`): show the help and run nothing. */
  help: boolean;
}

/**
 * Parses `argv` (the arguments after the command's name) against `command`'s options.
 *
 * @example
 * ```ts
 * parseCommandLine(translateCommand, ['A dog runs.', '--beams', '2']);
 * // { values: { beams: '2' }, positionals: ['A dog runs.'], help: false }
 * parseCommandLine(translateCommand, ['--bogus']);
 * // throws "attn translate: Unknown option '--bogus'. Fix: run 'attn translate --help' for the options it takes (…)."
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for an unknown option, a missing option value, or positional arguments to
 * a command that takes none.
 */
export function parseCommandLine(command: Command, argv: readonly string[]): ParsedCommandLine {
  const end = argv.indexOf('--');
  const beforeEnd = end < 0 ? argv : argv.slice(0, end);
  if (beforeEnd.includes('--help') || beforeEnd.includes('-h'))
    return { values: {}, positionals: [], help: true };
  const options: ParseArgsConfig['options'] = {};
  for (const [name, { type, short }] of Object.entries(command.options))
    options[name] = short === undefined ? { type } : { type, short };
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: command.positionals,
      strict: true,
    });
    return { values: values as OptionValues, positionals, help: false };
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    // node's first sentence names the problem; the rest explains '--', which the fix mentions
    throw usageError(
      command.name,
      error.message.split('. ')[0] as string,
      `run 'attn ${command.name} --help' for the options it takes (text starting with '-' goes after --)`,
      error,
    );
  }
}

function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
