// All of stdin as bytes: the text, image or WAV piped into a command.

/**
 * Reads `stdin` to its end.
 *
 * @example
 * ```ts
 * // echo 'A dog runs.' | attn translate
 * (await readStdin(process.stdin)).toString('utf8'); // 'A dog runs.\n'
 * ```
 * @throws rethrows the stream's error.
 */
export async function readStdin(stdin: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
