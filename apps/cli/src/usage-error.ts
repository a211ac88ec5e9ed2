// The error for a bad command line: an AttnError with code INVALID_ARGUMENT (exit code 2) whose message names the
// command, what was wrong and the fix, in the shape every attn error has.
import { AttnError } from '@attn/core-attention';

/**
 * Builds the error for a command line `attn <command>` cannot run; `command` '' stands for `attn` itself.
 *
 * @example
 * ```ts
 * usageError('translate', 'no text given', 'pass the text as an argument').message;
 * // 'attn translate: no text given. Fix: pass the text as an argument.'
 * usageError('', "unknown command 'tranlsate'", 'run attn --help').code; // 'INVALID_ARGUMENT'
 * ```
 * @throws never: it returns the error for the caller to throw.
 */
export function usageError(
  command: string,
  problem: string,
  fix: string,
  cause?: unknown,
): AttnError {
  const program = command === '' ? 'attn' : `attn ${command}`;
  return new AttnError('INVALID_ARGUMENT', `${program}: ${problem}`, {
    fix,
    ...(cause === undefined ? {} : { cause }),
  });
}
