// One decoding run of a recurrent encoder–decoder: model_type attn-gru, a GRU with Bahdanau additive attention
// (Bahdanau et al. 2014, https://arxiv.org/abs/1409.0473) exported by tools/model-zoo/zoo/export_gru.py. Its
// decoder_model_merged.onnx reads one token per run and carries a fixed-size state instead of a KV cache:
//   inputs   input_ids [B,1], encoder_hidden_states [B,S,K], encoder_attention_mask [B,S], past_state [B,D],
//            use_cache_branch bool [1] (false on the first run: the graph then computes s_0 from the encoder output)
//   outputs  logits [B,1,V], present_state [B,D], cross_attentions.0 [B,1,1,S] (the additive attention, tappable as
//            attn.cross.0 from the Softmax /model/decoder/layers.0/encoder_attn/Softmax)
// Longer inputs (a prompt, or the whole prefix when the cache is off) are fed one token per run.
import type * as ort from 'onnxruntime-node';
import { AttnError, invalidArgument } from '../../errors/index.js';
import { createTensor, type Tensor } from '../../tensor/index.js';
import type { DecoderStepper } from '../generation/index.js';
import type { ModelSession, RunResult } from '../session/index.js';
import type { AttentionStepResult, EncoderOutput } from './encoder-decoder-stepper.js';
import { gatherRows } from './gather-rows.js';
import { lastPositionLogits } from './last-position-logits.js';

/** One recurrent state of a decoder graph: `past_state` fed back from `present_state` on the next run. */
export interface StateSlot {
  /** e.g. 'past_state' */
  input: string;
  /** e.g. 'present_state' */
  output: string;
  /** The state's dims after the batch axis, e.g. [640]. */
  size: number[];
}

const stateName = /^past_state(\.\d+)?$/;

/**
 * The recurrent state slots of a decoder session, in input order; empty for a decoder without one (a transformer).
 *
 * @example
 * ```ts
 * recurrentStateSlots(decoder.session.inputMetadata, decoder.outputNames);
 * // [{ input: 'past_state', output: 'present_state', size: [640] }]
 * ```
 * @throws {AttnError} MODEL_FORMAT when a state input has no matching `present_state` output or its size is not
 * declared.
 */
export function recurrentStateSlots(
  inputs: readonly ort.InferenceSession.ValueMetadata[],
  outputs: readonly string[],
): StateSlot[] {
  return inputs
    .filter((metadata) => stateName.test(metadata.name))
    .map((metadata) => {
      const output = metadata.name.replace('past_', 'present_');
      const size = metadata.isTensor ? metadata.shape.slice(1) : [];
      const fixedSize = size.length > 0 && size.every((dim) => typeof dim === 'number');
      if (!outputs.includes(output) || !fixedSize) {
        throw new AttnError(
          'MODEL_FORMAT',
          `recurrentStateSlots(): the decoder takes ${metadata.name} but has no output ${output} of the same fixed size`,
          {
            likelyCause:
              'a recurrent decoder exported without its state output, or with a symbolic state size',
            fix: 're-export the decoder with tools/model-zoo/zoo/export_gru.py',
          },
        );
      }
      return { input: metadata.name, output, size: size as number[] };
    });
}

export interface RecurrentDecoderStepperOptions {
  /** The decoder_model_merged session. */
  decoder: ModelSession;
  vocabSize: number;
  /** False re-feeds the whole prefix from the first state every step: slow, for checking the state. Default true. */
  useCache?: boolean;
}

/**
 * A {@link DecoderStepper} over a recurrent ONNX encoder–decoder; beam search reorders its state rows as it
 * reorders a KV cache.
 *
 * @example
 * ```ts
 * const stepper = new RecurrentDecoderStepper(encoded, { decoder, vocabSize: 8000 });
 * const result = await greedySearch(stepper, { prompt: [[decoderStartTokenId]], eosTokenId: 0 });
 * ```
 * @throws {AttnError} MODEL_FORMAT (constructor) when the decoder has no `past_state` input.
 */
export class RecurrentDecoderStepper implements DecoderStepper<AttentionStepResult> {
  readonly vocabSize: number;
  private readonly slots: StateSlot[];
  /** encoderRows[r]: the encoder row decoder row r belongs to. */
  private encoderRows: number[];
  private gathered: EncoderOutput;
  private states = new Map<string, Tensor<'float32'>>();
  /** Every token fed so far, per row (for the no-cache mode). */
  private history: number[][];

  constructor(
    private readonly encoded: EncoderOutput,
    private readonly options: RecurrentDecoderStepperOptions,
  ) {
    this.vocabSize = options.vocabSize;
    this.slots = recurrentStateSlots(
      options.decoder.session.inputMetadata,
      options.decoder.outputNames,
    );
    if (this.slots.length === 0) {
      throw new AttnError(
        'MODEL_FORMAT',
        `RecurrentDecoderStepper: ${options.decoder.source} has no past_state input`,
        { fix: 'use EncoderDecoderStepper for decoders with a KV cache' },
      );
    }
    const batch = encoded.hiddenStates.dims[0] as number;
    this.encoderRows = Array.from({ length: batch }, (_, row) => row);
    this.gathered = encoded;
    this.history = this.encoderRows.map(() => []);
  }

  async step(inputIds: number[][], beamRows?: number[]): Promise<AttentionStepResult> {
    const length = inputIds[0]?.length ?? 0;
    if (length === 0)
      throw invalidArgument('step', 'inputIds', 'at least one token per row', 'no tokens');
    if (beamRows !== undefined) this.reorder(beamRows);
    inputIds.forEach((ids, row) => this.history[row]?.push(...ids));
    const useCache = this.options.useCache ?? true;
    if (!useCache) this.states.clear();
    const fed = useCache ? inputIds : this.history;
    const fedLength = fed[0]?.length ?? 0;
    let last: RunResult | undefined;
    const attention: Map<string, Tensor<'float32'>>[] = [];
    for (let position = 0; position < fedLength; position++) {
      last = await this.run(fed.map((ids) => ids[position] as number));
      if (position >= fedLength - length) attention.push(last.attention);
    }
    const logits = (last as RunResult).outputs['logits'] as Tensor<'float32'>;
    return { logits: lastPositionLogits(logits), attention: joinPositions(attention) };
  }

  /** One decoder run on one token per row, from the current state (the first state when there is none yet). */
  private async run(tokens: number[]): Promise<RunResult> {
    const rows = tokens.length;
    const started = this.states.size > 0;
    const feeds: Record<string, Tensor> = {
      input_ids: createTensor('int64', [rows, 1], BigInt64Array.from(tokens, BigInt)),
      encoder_hidden_states: this.gathered.hiddenStates,
      encoder_attention_mask: this.gathered.attentionMask,
      use_cache_branch: createTensor('bool', [1], Uint8Array.of(started ? 1 : 0)),
    };
    for (const slot of this.slots) {
      feeds[slot.input] =
        this.states.get(slot.input) ?? createTensor('float32', [rows, ...slot.size]);
    }
    const result = await this.options.decoder.run(feeds);
    for (const slot of this.slots)
      this.states.set(slot.input, result.outputs[slot.output] as Tensor<'float32'>);
    return result;
  }

  /** Row r continues row beamRows[r]: the state, the encoder rows and the history follow. */
  private reorder(beamRows: number[]): void {
    this.encoderRows = beamRows.map((row) => this.encoderRows[row] as number);
    this.gathered = {
      hiddenStates: gatherRows(this.encoded.hiddenStates, this.encoderRows),
      attentionMask: gatherRows(this.encoded.attentionMask, this.encoderRows),
    };
    for (const [name, tensor] of this.states) this.states.set(name, gatherRows(tensor, beamRows));
    this.history = beamRows.map((row) => [...(this.history[row] ?? [])]);
  }
}

/** The attention of consecutive single-token runs, [rows, heads, 1, keys] each, joined along the query axis. */
function joinPositions(
  perPosition: readonly Map<string, Tensor<'float32'>>[],
): Map<string, Tensor<'float32'>> {
  const first = perPosition[0] ?? new Map<string, Tensor<'float32'>>();
  if (perPosition.length === 1) return first;
  const joined = new Map<string, Tensor<'float32'>>();
  for (const name of first.keys()) {
    const parts = perPosition.map((attention) => attention.get(name) as Tensor<'float32'>);
    const [rows, heads, , keys] = (parts[0] as Tensor<'float32'>).dims as [
      number,
      number,
      number,
      number,
    ];
    const queries = parts.length;
    const data = new Float32Array(rows * heads * queries * keys);
    for (let block = 0; block < rows * heads; block++) {
      parts.forEach((part, query) => {
        data.set(
          part.data.subarray(block * keys, (block + 1) * keys),
          (block * queries + query) * keys,
        );
      });
    }
    joined.set(name, { type: 'float32', data, dims: [rows, heads, queries, keys] });
  }
  return joined;
}
