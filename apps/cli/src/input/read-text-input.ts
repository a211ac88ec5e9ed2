// Where a command's text comes from: inline (its arguments, or an option such as --context), a file (--file, '-'
// for stdin), or stdin when something is piped in. Exactly one source; an empty text is the same as none.
import { readFile } from 'node:fs/promises';
import type { CliIo } from '../cli-io.js';
import { usageError } from '../usage-error.js';
import { readStdin } from './read-stdin.js';

/** The text and where it came from (translate reads a file or stdin line by line). */
export interface TextInput {
  text: string;
  from: 'inline' | 'file' | 'stdin';
}

/** What {@link readTextInput} reads from, and the words its errors use. */
export interface TextSource {
  /** The inline pieces (arguments), joined with spaces; empty when none were given. */
  inline: readonly string[];
  /** How to give it inline, for messages: 'as an argument', 'with --context <text>'. */
  inlineHint: string;
  /** The --file option's value. */
  file: string | undefined;
  /** What the text is, for messages: 'text', 'context', 'conversation'. */
  what: string;
}

/**
 * Reads the text of `attn <command>` from the one source given.
 *
 * @example
 * ```ts
 * await readTextInput('translate', { inline: ['A', 'dog.'], inlineHint: 'as an argument', file: undefined, what: 'text' }, io);
 * // { text: 'A dog.', from: 'inline' }
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the text is given two ways, the file cannot be read, or there is no
 * text (nothing given and stdin is a terminal, or the text is empty).
 */
export async function readTextInput(
  command: string,
  source: TextSource,
  io: CliIo,
): Promise<TextInput> {
  const { inline, inlineHint, file, what } = source;
  const ways = `${inlineHint}, with --file <path>, or on stdin (echo '…' | attn ${command})`;
  if (inline.length > 0 && file !== undefined) {
    throw usageError(
      command,
      `the ${what} was given both ${inlineHint} and with --file`,
      `give it one way: ${ways}`,
    );
  }
  let input: TextInput;
  if (inline.length > 0) input = { text: inline.join(' '), from: 'inline' };
  else if (file !== undefined && file !== '-')
    input = { text: await readTextFile(command, file), from: 'file' };
  else if (file === '-' || io.stdin.isTTY !== true)
    input = { text: (await readStdin(io.stdin)).toString('utf8'), from: 'stdin' };
  else throw usageError(command, `no ${what} given`, `pass the ${what} ${ways}`);
  if (input.text.trim() === '') {
    const where = {
      inline: `the ${what} given ${inlineHint}`,
      file: `--file '${file}'`,
      stdin: 'stdin',
    }[input.from];
    throw usageError(command, `no ${what} given: ${where} is empty`, `pass the ${what} ${ways}`);
  }
  return input;
}

async function readTextFile(command: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw usageError(
      command,
      `cannot read --file '${path}' (${reason})`,
      'check the path, or pipe the text in on stdin',
      error,
    );
  }
}
