// One entry point that picks the search from the options, as Hugging Face's `generate` does:
// numBeams > 1 → beam search, doSample → sampling, else greedy.
import { searchBeams } from './beam-search.js';
import type { DecoderStepResult, DecoderStepper, GenerationResult } from './decoder-stepper.js';
import { decodeStepwise, drainDecoding } from './decode-stepwise.js';
import { resolveGeneration, type GenerationRequest } from './generation-settings.js';

/**
 * Runs greedy search, sampling or beam search, whichever `request` asks for. Pipelines pass the
 * model's generation_config.json (through `generationOptionsFromConfig`) merged with the caller's options.
 *
 * @example
 * ```ts
 * const options = generationOptionsFromConfig(generationConfigJson); // { numBeams: 4, eosTokenId: 0, ... }
 * const result = await generate(stepper, { ...options, prompt: [[decoderStart], [decoderStart]] });
 * result.sequences.length; // 2, one list per prompt row
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for bad options; UNSUPPORTED for sampling with numBeams > 1;
 * ABORTED when the signal fires; RUNTIME when a row has no finite score.
 */
export async function generate<Result extends DecoderStepResult>(
  stepper: DecoderStepper<Result>,
  request: GenerationRequest<Result>,
): Promise<GenerationResult> {
  const settings = resolveGeneration('generate', stepper, request, 'auto');
  if (settings.mode === 'beam') return searchBeams('generate', stepper, settings, request);
  return drainDecoding(decodeStepwise('generate', stepper, settings, request));
}
