// The files a command reads (images for detect and segment, WAVs for transcribe): paths from the arguments, '-'
// for the bytes on stdin, or stdin alone when something is piped in and no path is given. Paths go to the
// pipelines as they are, which decode them and name the file in their errors.
import type { CliIo } from '../cli-io.js';
import { usageError } from '../usage-error.js';
import { readStdin } from './read-stdin.js';

/** One input: its path, or the bytes read from stdin. */
export interface FileInput {
  /** The path as given, or '(stdin)'. */
  label: string;
  input: string | Uint8Array;
}

/**
 * The inputs of `attn <command>`, in order.
 *
 * @example
 * ```ts
 * await readFileInputs('detect', ['a.png', 'b.jpg'], io, 'image');
 * // [{ label: 'a.png', input: 'a.png' }, { label: 'b.jpg', input: 'b.jpg' }]
 * // attn detect < a.png  → [{ label: '(stdin)', input: <the bytes> }]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when nothing is given (no path, and stdin is a terminal or empty) or '-'
 * appears twice.
 */
export async function readFileInputs(
  command: string,
  positionals: readonly string[],
  io: CliIo,
  what: string,
): Promise<FileInput[]> {
  const fix = `pass one or more ${what} paths, or pipe one in (attn ${command} < file)`;
  if (positionals.filter((path) => path === '-').length > 1)
    throw usageError(
      command,
      "'-' (stdin) is given more than once",
      'stdin holds one file: pass - at most once',
    );
  const paths = positionals.length > 0 ? positionals : io.stdin.isTTY === true ? [] : ['-'];
  if (paths.length === 0) throw usageError(command, `no ${what} given`, fix);
  const inputs: FileInput[] = [];
  for (const path of paths) {
    if (path !== '-') {
      inputs.push({ label: path, input: path });
      continue;
    }
    const bytes = await readStdin(io.stdin);
    if (bytes.length === 0) throw usageError(command, `no ${what} given: stdin is empty`, fix);
    inputs.push({
      label: '(stdin)',
      input: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    });
  }
  return inputs;
}
