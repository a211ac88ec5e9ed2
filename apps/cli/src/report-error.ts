// How a failed run is told: for people, the error's message (what happened, the likely cause, the fix) with its
// code and exit code, plus a hint where the command line can help; for machines (--json), one JSON object on stderr.
// Anything that is not an AttnError is a bug in attn and is shown with its stack.
import { AttnError, type AttnErrorCode } from '@attn/core-attention';
import type { CliIo } from './cli-io.js';
import { exitCodeOf } from './exit-codes.js';

const hints: Partial<Record<AttnErrorCode, string>> = {
  MODEL_NOT_FOUND:
    "'attn models' lists the installed models; --model also takes a model folder or a Hugging Face hub id",
  OFFLINE:
    'drop --offline and unset HF_HUB_OFFLINE to download, or point --model at a local folder',
  UNAUTHORIZED: 'set HF_TOKEN to a token that may read the model',
};

/**
 * Writes `error` to stderr, as text or as `{ "error": { code, exitCode, message, likelyCause, fix } }`.
 *
 * @example
 * ```ts
 * reportError(new AttnError('MODEL_NOT_FOUND', "no shipped model 'attn/x'"), io, false);
 * // stderr: "attn: error: no shipped model 'attn/x'.\n  (MODEL_NOT_FOUND, exit code 4)\n  hint: 'attn models' lists …\n"
 * ```
 * @throws never.
 */
export function reportError(error: unknown, io: CliIo, json: boolean): void {
  const exitCode = exitCodeOf(error);
  if (!AttnError.is(error)) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (json)
      io.stderr.write(
        `${JSON.stringify({ error: { code: 'UNEXPECTED', exitCode, message: String(detail) } })}\n`,
      );
    else io.stderr.write(`attn: unexpected error (a bug in attn; please report it):\n${detail}\n`);
    return;
  }
  if (json) {
    const { code, message, likelyCause, fix } = error;
    io.stderr.write(
      `${JSON.stringify({ error: { code, exitCode, message, likelyCause, fix } })}\n`,
    );
    return;
  }
  const message = error.message.startsWith('attn')
    ? error.message
    : `attn: error: ${error.message}`;
  const hint = hints[error.code];
  io.stderr.write(
    `${message}\n  (${error.code}, exit code ${exitCode})\n${hint === undefined ? '' : `  hint: ${hint}\n`}`,
  );
}
