// Cancellation for the vision pipelines: an AbortSignal checked between batches (a model run itself is not
// interrupted), as the generation loop of @attn/core-attention checks it between decoder steps.
import { AttnError } from '@attn/core-attention';

/**
 * Throws ABORTED when `signal` has fired, naming how far the pipeline got.
 *
 * @example
 * ```ts
 * throwIfAborted('detect', controller.signal, 'after 8 of 20 images');
 * ```
 * @throws {AttnError} ABORTED with the signal's reason as the cause.
 */
export function throwIfAborted(
  fn: string,
  signal: AbortSignal | undefined,
  progress: string,
): void {
  if (signal?.aborted)
    throw new AttnError('ABORTED', `${fn}(): aborted ${progress}`, { cause: signal.reason });
}
