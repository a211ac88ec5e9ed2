// One decoding run of an encoder–decoder model: the decoder session(s) advanced step by step over a
// fixed encoder output, with the KV cache carried between steps and reordered for beam search.
// Handles the three Optimum layouts: a merged decoder with `use_cache_branch`, a plain decoder with
// a cache, and a decoder + decoder-with-past pair.
import { createTensor, type Tensor } from '../../tensor/index.js';
import type { DecoderStepResult, DecoderStepper } from '../generation/index.js';
import type { ModelSession } from '../session/index.js';
import { cacheSlots, emptyPast, type CacheSlot } from './cache-slots.js';
import { gatherRows } from './gather-rows.js';
import { lastPositionLogits } from './last-position-logits.js';

/** What one step returns: the logits, and the tapped attention of the new positions by tap name. */
export interface AttentionStepResult extends DecoderStepResult {
  /** 'attn.cross.{layer}' and 'attn.decoder_self.{layer}' → [rows, heads, newPositions, keys]. */
  attention: Map<string, Tensor<'float32'>>;
}

/** The encoder's output for the stepper's input rows. */
export interface EncoderOutput {
  /** [batch, sourceLength, hidden] */
  hiddenStates: Tensor<'float32'>;
  /** [batch, sourceLength], 1 for real tokens */
  attentionMask: Tensor<'int64'>;
}

export interface EncoderDecoderStepperOptions {
  /** The decoder run on the first step (and on every step when `withPast` is absent). */
  decoder: ModelSession;
  /** The decoder-with-past of a decoder + decoder-with-past pair. */
  withPast?: ModelSession;
  vocabSize: number;
  /** From config.json, for graphs that leave the cache's head sizes symbolic. */
  heads?: number;
  headDim?: number;
  /** False feeds the whole prefix every step with an empty cache: slow, for checking the cache. Default true. */
  useCache?: boolean;
}

/**
 * A {@link DecoderStepper} over an ONNX encoder–decoder.
 *
 * @example
 * ```ts
 * const stepper = new EncoderDecoderStepper(encoded, { decoder, vocabSize: 8000 });
 * const result = await greedySearch(stepper, { prompt: [[decoderStartTokenId]], eosTokenId: 0 });
 * ```
 */
export class EncoderDecoderStepper implements DecoderStepper<AttentionStepResult> {
  readonly vocabSize: number;
  private readonly options: EncoderDecoderStepperOptions;
  private readonly slots: CacheSlot[];
  /** encoderRows[r]: the encoder row decoder row r belongs to. */
  private encoderRows: number[];
  private gathered: EncoderOutput;
  private past = new Map<string, Tensor<'float32'>>();
  /**
   * The outputs a step with a past fetches: all but the cross cache (present.{i}.encoder.*), which the first step
   * computed and later steps only pass through — copying it out of onnxruntime every step costs time for nothing.
   */
  private readonly withPastOutputs: readonly string[];
  /** Every token fed so far, per row (for the no-cache mode). */
  private history: number[][];

  constructor(
    private readonly encoded: EncoderOutput,
    options: EncoderDecoderStepperOptions,
  ) {
    this.options = options;
    this.vocabSize = options.vocabSize;
    const cached = options.withPast ?? options.decoder;
    const fallback = {
      ...(options.heads === undefined ? {} : { heads: options.heads }),
      ...(options.headDim === undefined ? {} : { headDim: options.headDim }),
    };
    // Optimum's decoder-with-past takes the cross cache (past_key_values.{i}.encoder.*) but does not output it: the
    // first step's decoder gives present.{i}.encoder.*, and step() keeps a past that a run does not replace.
    const outputs = [...options.decoder.session.outputNames, ...cached.session.outputNames];
    this.slots = cacheSlots(cached.session.inputMetadata, outputs, fallback);
    const crossOutputs = new Set(
      this.slots.filter((slot) => slot.kind === 'encoder').map((slot) => slot.output),
    );
    this.withPastOutputs = cached.outputNames.filter((name) => !crossOutputs.has(name));
    const batch = encoded.hiddenStates.dims[0] as number;
    this.encoderRows = Array.from({ length: batch }, (_, row) => row);
    this.gathered = encoded;
    this.history = this.encoderRows.map(() => []);
  }

  async step(inputIds: number[][], beamRows?: number[]): Promise<AttentionStepResult> {
    if (beamRows !== undefined) this.reorder(beamRows);
    const useCache = this.options.useCache ?? true;
    inputIds.forEach((ids, row) => this.history[row]?.push(...ids));
    const fed = useCache ? inputIds : this.history;
    const hasPast = useCache && this.past.size > 0;
    const session =
      hasPast && this.options.withPast !== undefined ? this.options.withPast : this.options.decoder;
    const rows = fed.length;
    const length = fed[0]?.length ?? 0;
    const feeds: Record<string, Tensor> = {
      input_ids: createTensor('int64', [rows, length], BigInt64Array.from(fed.flat(), BigInt)),
      encoder_hidden_states: this.gathered.hiddenStates,
      encoder_attention_mask: this.gathered.attentionMask,
      use_cache_branch: createTensor('bool', [1], Uint8Array.of(hasPast ? 1 : 0)),
    };
    for (const slot of this.slots)
      feeds[slot.input] = (hasPast && this.past.get(slot.input)) || emptyPast(slot, rows);
    const { outputs, attention } = await session.run(feeds, {
      numHeads: this.options.heads ?? this.slots[0]?.heads ?? 1,
      ...(hasPast ? { outputs: this.withPastOutputs } : {}),
    });
    if (useCache) {
      for (const slot of this.slots) {
        const present = outputs[slot.output];
        if (present !== undefined) this.past.set(slot.input, present as Tensor<'float32'>);
      }
    }
    const logits = outputs['logits'] as Tensor<'float32'>;
    const keep = useCache ? undefined : inputIds[0]?.length;
    return {
      logits: lastPositionLogits(logits),
      attention: keep === undefined ? attention : lastPositions(attention, keep),
    };
  }

  /** Row r continues row beamRows[r]: the cache, the encoder rows and the history follow. */
  private reorder(beamRows: number[]): void {
    this.encoderRows = beamRows.map((row) => this.encoderRows[row] as number);
    this.gathered = {
      hiddenStates: gatherRows(this.encoded.hiddenStates, this.encoderRows),
      attentionMask: gatherRows(this.encoded.attentionMask, this.encoderRows),
    };
    for (const [name, tensor] of this.past) this.past.set(name, gatherRows(tensor, beamRows));
    this.history = beamRows.map((row) => [...(this.history[row] ?? [])]);
  }
}

/** Keeps the last `count` query positions of each attention map [rows, heads, queries, keys]. */
function lastPositions(
  attention: Map<string, Tensor<'float32'>>,
  count: number,
): Map<string, Tensor<'float32'>> {
  const kept = new Map<string, Tensor<'float32'>>();
  for (const [name, tensor] of attention) {
    const [rows, heads, queries, keys] = tensor.dims as [number, number, number, number];
    const data = new Float32Array(rows * heads * count * keys);
    for (let block = 0; block < rows * heads; block++) {
      const from = (block * queries + queries - count) * keys;
      data.set(tensor.data.subarray(from, from + count * keys), block * count * keys);
    }
    kept.set(name, { type: 'float32', data, dims: [rows, heads, count, keys] });
  }
  return kept;
}
