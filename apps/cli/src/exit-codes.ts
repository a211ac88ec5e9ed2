// Exit codes of `attn`: 0 success, 1 an unexpected failure (a bug), otherwise one code per AttnError code, so a
// script can tell a bad command line from a missing model or an unreachable hub (the idea of BSD's sysexits.h,
// with attn's own table). 130 = 128 + SIGINT, what shells report for a program stopped by Ctrl-C.
import { AttnError, type AttnErrorCode } from '@attn/core-attention';

/**
 * The exit code of each AttnError code and what it means to someone at a terminal.
 *
 * @example
 * ```ts
 * exitCodes.MODEL_NOT_FOUND.code; // 4
 * ```
 */
export const exitCodes: Readonly<Record<AttnErrorCode, { code: number; meaning: string }>> = {
  INVALID_ARGUMENT: {
    code: 2,
    meaning: 'bad command line or option value: unknown command or flag, missing input',
  },
  INPUT_FORMAT: {
    code: 3,
    meaning: 'an input is not a readable image or WAV, or is over its limits',
  },
  MODEL_NOT_FOUND: { code: 4, meaning: 'no model under that attn/<name>, folder or hub id' },
  FILE_NOT_FOUND: { code: 5, meaning: 'the model folder lacks a file the command needs' },
  MODEL_FORMAT: { code: 6, meaning: 'a model file (config, graph, tokenizer) is malformed' },
  UNSUPPORTED: { code: 7, meaning: 'the model cannot do what the command asks' },
  NETWORK: { code: 8, meaning: 'the Hugging Face hub could not be reached' },
  OFFLINE: { code: 9, meaning: 'a download is needed but --offline or HF_HUB_OFFLINE forbids it' },
  UNAUTHORIZED: {
    code: 10,
    meaning: 'the hub refused access (gated or private model: set HF_TOKEN)',
  },
  INTEGRITY: { code: 11, meaning: 'a downloaded file does not match its checksum' },
  RUNTIME: { code: 12, meaning: 'onnxruntime failed to load or run the model' },
  SHAPE_MISMATCH: { code: 13, meaning: 'tensors of mismatched shapes (a bug: please report it)' },
  DATA_NOT_FOUND: { code: 14, meaning: 'a data set is missing from ATTN_DATA' },
  ABORTED: { code: 130, meaning: 'interrupted (Ctrl-C)' },
};

/** The exit code of anything that is not an AttnError: a bug in attn. */
export const unexpectedFailureCode = 1;

/**
 * The exit code for `error`: its AttnError code's, else 1.
 *
 * @example
 * ```ts
 * exitCodeOf(new AttnError('MODEL_NOT_FOUND', 'no model')); // 4
 * exitCodeOf(new TypeError('x')); // 1
 * ```
 * @throws never.
 */
export function exitCodeOf(error: unknown): number {
  if (!AttnError.is(error)) return unexpectedFailureCode;
  return (
    (exitCodes as Partial<Record<string, { code: number }>>)[error.code]?.code ??
    unexpectedFailureCode
  );
}

/**
 * The table for --help, one line per code in ascending order.
 *
 * @example
 * ```ts
 * exitCodeTable()[0]; // '  0    success'
 * exitCodeTable()[3]; // '  3    an input is not a readable image or WAV, or is over its limits (INPUT_FORMAT)'
 * ```
 * @throws never.
 */
export function exitCodeTable(): string[] {
  const rows = Object.entries(exitCodes)
    .map(([name, { code, meaning }]) => ({ code, text: `${meaning} (${name})` }))
    .concat(
      { code: 0, text: 'success' },
      { code: unexpectedFailureCode, text: 'unexpected failure: a bug in attn, please report it' },
    )
    .sort((first, second) => first.code - second.code);
  return rows.map(({ code, text }) => `  ${String(code).padEnd(5)}${text}`);
}
