// Streaming generation: an async iterator over the tokens of each step, then the full result.
import { searchBeams } from './beam-search.js';
import type { DecoderStepResult, DecoderStepper, GenerationEvent } from './decoder-stepper.js';
import { decodeStepwise } from './decode-stepwise.js';
import { resolveGeneration, type GenerationRequest } from './generation-settings.js';

/**
 * Like `generate`, but yields `{ kind: 'tokens', step, tokens }` after every step of greedy search
 * or sampling (one token per decoder row, null for rows already finished), then
 * `{ kind: 'done', result }`. Beam search yields only the 'done' event: until it ends, any beam
 * may still lose to another, so no token is final earlier. Options are checked on the first
 * `next()`. Leaving the loop early (break, return) stops decoding: the stepper is not called again.
 *
 * @example
 * ```ts
 * for await (const event of streamGenerate(stepper, { prompt: [[0]], maxNewTokens: 20, eosTokenId: 2 })) {
 *   if (event.kind === 'tokens') process.stdout.write(tokenizer.decode(event.tokens.filter((t) => t !== null)));
 *   else console.log(event.result.sequences[0]?.[0]?.finishReason); // 'eos' or 'max_length'
 * }
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for bad options; UNSUPPORTED for sampling with numBeams > 1;
 * ABORTED when the signal fires; RUNTIME when a row has no finite score.
 */
export async function* streamGenerate<Result extends DecoderStepResult>(
  stepper: DecoderStepper<Result>,
  request: GenerationRequest<Result>,
): AsyncGenerator<GenerationEvent, void> {
  const settings = resolveGeneration('streamGenerate', stepper, request, 'auto');
  if (settings.mode === 'beam') {
    yield { kind: 'done', result: await searchBeams('streamGenerate', stepper, settings, request) };
    return;
  }
  const decoding = decodeStepwise('streamGenerate', stepper, settings, request);
  let next = await decoding.next();
  while (next.done !== true) {
    yield next.value;
    next = await decoding.next();
  }
  yield { kind: 'done', result: next.value };
}
