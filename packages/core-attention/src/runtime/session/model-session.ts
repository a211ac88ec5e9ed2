// One onnxruntime session on one model file, with checked inputs and the attention of its taps read out of each run.
import * as ort from 'onnxruntime-node';
import { AttnError, describeValue, invalidArgument } from '../../errors/index.js';
import type { Tensor } from '../../tensor/index.js';
import { readAttentionTaps, type AttentionTap } from '../taps/index.js';
import { runError } from './ort-error.js';

/** Options of {@link ModelSession.run}. */
export interface RunOptions {
  /** Graph outputs to fetch. Default every output; the outputs of taps are always fetched. */
  outputs?: readonly string[];
  /** H, for taps the graph computes as [B·H,T,S]; see readAttentionTaps. */
  numHeads?: number;
}

/** What a run returns: the graph's own outputs, and the attention of each tap by tap name ('attn.cross.0'). */
export interface RunResult {
  outputs: Record<string, ort.Tensor>;
  attention: Map<string, Tensor<'float32'>>;
}

/**
 * A session on a model file: created by SessionCache, disposed by it or by {@link ModelSession.dispose}.
 *
 * @example
 * ```ts
 * const session = await sessions.get('/models/bert/onnx/model.onnx', { taps: { encoder_self: [0] } });
 * const { outputs, attention } = await session.run({ input_ids, attention_mask, token_type_ids });
 * outputs.logits?.dims; // [1, 2]
 * attention.get('attn.encoder_self.0')?.dims; // [1, 12, 9, 9]
 * ```
 */
export class ModelSession {
  /** The graph's inputs, in order. */
  readonly inputNames: readonly string[];
  /** The graph's own outputs, without those the taps added. */
  readonly outputNames: readonly string[];
  private disposed = false;

  constructor(
    /** The onnxruntime session. */
    readonly session: ort.InferenceSession,
    /** The file the session was created from: the original model, or the tapped copy in the cache. */
    readonly source: string,
    /** The attention taps the file carries; empty when attention is off. */
    readonly taps: readonly AttentionTap[],
  ) {
    const tapOutputs = new Set(taps.flatMap((tap) => Object.values(tap.outputs)));
    this.inputNames = session.inputNames;
    this.outputNames = session.outputNames.filter((name) => !tapOutputs.has(name));
  }

  /**
   * Runs the graph. Inputs the graph does not take are ignored, as transformers.js does.
   *
   * @example
   * ```ts
   * const input_ids = createTensor('int64', [1, 3], new BigInt64Array([0n, 42n, 2n]));
   * const { outputs } = await session.run({ input_ids, attention_mask }, { outputs: ['last_hidden_state'] });
   * ```
   * @throws {AttnError} INVALID_ARGUMENT for a missing input (listing what the graph takes and what was given), an input
   * of another element type or rank than the graph declares, an unknown output name, or a disposed session;
   * RUNTIME when onnxruntime fails.
   */
  async run(feeds: Readonly<Record<string, Tensor>>, options: RunOptions = {}): Promise<RunResult> {
    if (this.disposed)
      throw invalidArgument(
        'run',
        'session',
        'a live session',
        `a session on ${this.source} that was disposed`,
      );
    if (feeds === null || typeof feeds !== 'object')
      throw invalidArgument(
        'run',
        'feeds',
        'an object of tensors by input name',
        describeValue(feeds),
      );
    const inputs: Record<string, ort.Tensor> = {};
    for (const metadata of this.session.inputMetadata)
      inputs[metadata.name] = this.checkedInput(metadata, feeds);
    const wanted = options.outputs ?? this.outputNames;
    const unknown = wanted.filter((name) => !this.outputNames.includes(name));
    if (unknown.length > 0)
      throw invalidArgument(
        'run',
        'options.outputs',
        `names among ${this.outputNames.join(', ')}`,
        describeValue(unknown),
      );
    const fetches = [...wanted, ...this.taps.flatMap((tap) => Object.values(tap.outputs))];
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await this.session.run(inputs, fetches);
    } catch (error) {
      const given = Object.entries(inputs).map(
        ([name, tensor]) => `${name} ${tensor.type} ${describeValue([...tensor.dims])}`,
      );
      throw runError(error, this.source, given.join(', '));
    }
    const outputs: Record<string, ort.Tensor> = {};
    for (const name of wanted) outputs[name] = results[name] as ort.Tensor;
    const attention = readAttentionTaps(
      this.taps,
      results as Record<string, Tensor | undefined>,
      options.numHeads === undefined ? {} : { numHeads: options.numHeads },
    );
    return { outputs, attention };
  }

  /** Releases onnxruntime's memory; later runs fail. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.release();
  }

  /** True after {@link ModelSession.dispose}. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private checkedInput(
    metadata: ort.InferenceSession.ValueMetadata,
    feeds: Readonly<Record<string, Tensor>>,
  ): ort.Tensor {
    const feed = feeds[metadata.name];
    if (feed === undefined) {
      const declared = this.session.inputMetadata.map((input) =>
        input.isTensor ? `${input.name} (${input.type})` : input.name,
      );
      const missing = this.inputNames.filter((name) => feeds[name] === undefined);
      throw new AttnError(
        'INVALID_ARGUMENT',
        `run(): ${this.source} needs inputs ${missing.join(', ')}; the graph takes ${declared.join(', ')}; given: ${Object.keys(feeds).join(', ') || 'nothing'}`,
        {
          fix: 'pass a tensor for every input the graph takes, by name',
        },
      );
    }
    if (metadata.isTensor && feed.type !== metadata.type) {
      throw invalidArgument(
        'run',
        `input '${metadata.name}'`,
        `${metadata.type} (as ${this.source} declares)`,
        `${describeValue(feed.type)}`,
        {
          fix:
            metadata.type === 'int64'
              ? 'build ids and masks as BigInt64Array tensors (type int64)'
              : `convert the tensor to ${metadata.type}`,
        },
      );
    }
    if (
      metadata.isTensor &&
      metadata.shape.length > 0 &&
      metadata.shape.length !== feed.dims.length
    ) {
      throw invalidArgument(
        'run',
        `input '${metadata.name}'`,
        `a rank-${metadata.shape.length} tensor [${metadata.shape.join(',')}]`,
        `dims ${describeValue([...feed.dims])}`,
      );
    }
    return feed instanceof ort.Tensor
      ? feed
      : new ort.Tensor(feed.type, feed.data as ort.Tensor.DataType, [...feed.dims]);
  }
}
