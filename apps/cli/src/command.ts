// What every `attn` command declares — its name, help text and options — and the function that runs it. Options
// are node:util parseArgs options with a description and a value placeholder for --help.
import type { CliIo } from './cli-io.js';
import type { OptionValues } from './input/option-values.js';

/** One option of a command. */
export interface CommandOption {
  type: 'string' | 'boolean';
  /** A one-letter alias: 'o' for -o. */
  short?: string;
  /** The value's placeholder in --help, such as '<n>'. */
  value?: string;
  description: string;
}

/** A command of `attn`. */
export interface Command {
  name: string;
  /** One line for `attn --help`. */
  summary: string;
  /** Usage lines, each a whole command. */
  usage: readonly string[];
  /** Paragraphs after the usage: where input comes from and what is shown. */
  description: readonly string[];
  options: Readonly<Record<string, CommandOption>>;
  /** What --json prints, one line per field. Empty for commands without --json. */
  json: readonly string[];
  examples: readonly string[];
  /** Whether the command takes positional arguments. */
  positionals: boolean;
  run(invocation: Invocation): Promise<void>;
}

/** One run of a command: its parsed command line and the process's streams. */
export interface Invocation {
  values: OptionValues;
  positionals: readonly string[];
  io: CliIo;
}
