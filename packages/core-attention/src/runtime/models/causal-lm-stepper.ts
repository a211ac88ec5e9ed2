// One decoding run of a decoder-only model (gpt2 and most LLM exports): prompts left-padded to one
// length, the attention mask and position ids carried along, the KV cache reordered for beam search.
// Position ids follow Hugging Face's rule for left padding: cumulative sum of the mask, minus one.
import { createTensor, type Tensor } from '../../tensor/index.js';
import type { DecoderStepper } from '../generation/index.js';
import type { ModelSession } from '../session/index.js';
import { cacheSlots, emptyPast, type CacheSlot } from './cache-slots.js';
import type { AttentionStepResult } from './encoder-decoder-stepper.js';
import { gatherRows } from './gather-rows.js';
import { lastPositionLogits } from './last-position-logits.js';

export interface CausalLmStepperOptions {
  session: ModelSession;
  vocabSize: number;
  /** Real (unpadded) prompt length of every input row; the first step's rows are left-padded to the longest. */
  promptLengths: readonly number[];
  heads?: number;
  headDim?: number;
  /** False feeds the whole prefix every step with an empty cache: slow, for checking the cache. Default true. */
  useCache?: boolean;
}

/**
 * A {@link DecoderStepper} over an ONNX decoder-only model.
 *
 * @example
 * ```ts
 * const stepper = new CausalLmStepper({ session, vocabSize: 50257, promptLengths: [3, 5] });
 * await greedySearch(stepper, { prompt: [[pad, pad, 1, 2, 3], [4, 5, 6, 7, 8]], eosTokenId: 50256 });
 * ```
 */
export class CausalLmStepper implements DecoderStepper<AttentionStepResult> {
  readonly vocabSize: number;
  private readonly slots: CacheSlot[];
  private past = new Map<string, Tensor<'float32'>>();
  /** Per row: 1 for every real position fed so far, 0 for left padding. */
  private masks: number[][] = [];
  private history: number[][] = [];
  private started = false;

  constructor(private readonly options: CausalLmStepperOptions) {
    this.vocabSize = options.vocabSize;
    const fallback = {
      ...(options.heads === undefined ? {} : { heads: options.heads }),
      ...(options.headDim === undefined ? {} : { headDim: options.headDim }),
    };
    this.slots = cacheSlots(
      options.session.session.inputMetadata,
      options.session.session.outputNames,
      fallback,
    );
  }

  async step(inputIds: number[][], beamRows?: number[]): Promise<AttentionStepResult> {
    const first = !this.started;
    if (first) this.start(inputIds[0]?.length ?? 0);
    if (beamRows !== undefined) this.reorder(beamRows);
    const useCache = this.options.useCache ?? true;
    if (!first) inputIds.forEach((ids, row) => this.masks[row]!.push(...ids.map(() => 1)));
    inputIds.forEach((ids, row) => this.history[row]!.push(...ids));
    const fed = useCache ? inputIds : this.history;
    const hasPast = useCache && this.past.size > 0;
    const rows = fed.length;
    const length = fed[0]?.length ?? 0;
    const totalLength = this.masks[0]?.length ?? 0;
    const positions = new BigInt64Array(rows * length);
    this.masks.forEach((mask, row) => {
      let position = -1;
      const all: number[] = mask.map((keep) => (keep === 1 ? ++position : 1));
      all
        .slice(totalLength - length)
        .forEach((value, i) => (positions[row * length + i] = BigInt(value)));
    });
    const feeds: Record<string, Tensor> = {
      input_ids: createTensor('int64', [rows, length], BigInt64Array.from(fed.flat(), BigInt)),
      attention_mask: createTensor(
        'int64',
        [rows, totalLength],
        BigInt64Array.from(this.masks.flat(), BigInt),
      ),
      position_ids: createTensor('int64', [rows, length], positions),
    };
    for (const slot of this.slots)
      feeds[slot.input] = (hasPast && this.past.get(slot.input)) || emptyPast(slot, rows);
    const { outputs, attention } = await this.options.session.run(feeds, {
      numHeads: this.options.heads ?? this.slots[0]?.heads ?? 1,
    });
    if (useCache) {
      for (const slot of this.slots)
        this.past.set(slot.input, outputs[slot.output] as Tensor<'float32'>);
    }
    return { logits: lastPositionLogits(outputs['logits'] as Tensor<'float32'>), attention };
  }

  /** The first call: prompts are left-padded to `length`, so row r's mask starts with length - promptLengths[r] zeros. */
  private start(length: number): void {
    this.started = true;
    this.masks = this.options.promptLengths.map((real) => [
      ...new Array<number>(length - real).fill(0),
      ...new Array<number>(real).fill(1),
    ]);
    this.history = this.options.promptLengths.map(() => []);
  }

  private reorder(beamRows: number[]): void {
    for (const [name, tensor] of this.past) this.past.set(name, gatherRows(tensor, beamRows));
    this.masks = beamRows.map((row) => [...this.masks[row]!]);
    this.history = beamRows.map((row) => [...this.history[row]!]);
  }
}
