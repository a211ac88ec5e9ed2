// A tiny builder of ONNX models (onnx.proto v1.10 through onnx-proto) for tests: seeded random weights, named or
// anonymous nodes, any opset and domain, so runtime tests need no trained model.
import {
  onnx,
  onnxDataType,
  encodeModel,
  valueInfo,
  type DeclaredDim,
} from '../runtime/onnx-graph/index.js';
import { seededRandom, type Random, type Tensor, type TensorType } from '../tensor/index.js';
import { randomNormal } from './random.js';

/** An attribute value: integers become INT, other numbers FLOAT, arrays INTS, a graph GRAPH. */
export type OnnxAttribute =
  | number
  | string
  | readonly number[]
  | { float: number }
  | { graph: onnx.IGraphProto }
  | { tensor: Tensor };

/** Options of {@link OnnxBuilder.node}. */
export interface OnnxNodeOptions {
  /** Node name; omitted leaves the node anonymous, as some exporters do. */
  name?: string;
  /** Operator domain, e.g. 'com.microsoft'. Default '' (ai.onnx). */
  domain?: string;
  attributes?: Readonly<Record<string, OnnxAttribute>>;
  /** Output value names, or how many to generate. Default one generated name. */
  outputs?: readonly string[] | number;
}

/** Options of {@link OnnxBuilder}. */
export interface OnnxBuilderOptions {
  /** Seed of the random weights. Default 0. */
  seed?: number;
  /** ai.onnx opset. Default 17. */
  opset?: number;
  /** Other domains and their versions, e.g. `{ 'com.microsoft': 1 }`. */
  domains?: Readonly<Record<string, number>>;
}

/**
 * Builds a model node by node.
 *
 * @example
 * ```ts
 * const builder = new OnnxBuilder({ seed: 1 });
 * const x = builder.input('x', 'float32', ['batch', 4]);
 * const [y] = builder.node('MatMul', [x, builder.weight('w', [4, 2])]);
 * builder.output(y!, 'float32', ['batch', 2]);
 * const bytes = builder.toBytes(); // loadable by ort.InferenceSession.create(bytes)
 * ```
 */
export class OnnxBuilder {
  readonly graph: onnx.GraphProto = onnx.GraphProto.create({ name: 'test' });
  readonly random: Random;
  private readonly opsets: onnx.IOperatorSetIdProto[];
  private counter = 0;

  constructor(options: OnnxBuilderOptions = {}) {
    this.random = seededRandom(options.seed ?? 0);
    this.opsets = [{ domain: '', version: options.opset ?? 17 }];
    for (const [domain, version] of Object.entries(options.domains ?? {}))
      this.opsets.push({ domain, version });
  }

  /**
   * Declares a graph input and returns its name.
   *
   * @example
   * ```ts
   * builder.input('input_ids', 'int64', ['batch_size', 'sequence_length']); // 'input_ids'
   * ```
   */
  input(name: string, type: TensorType, dims: readonly DeclaredDim[]): string {
    this.graph.input.push(valueInfo(name, type, dims));
    return name;
  }

  /**
   * Declares a graph output (an existing value) and returns its name.
   *
   * @example
   * ```ts
   * builder.output('logits', 'float32', ['batch_size', 'sequence_length', 10]); // 'logits'
   * ```
   */
  output(name: string, type: TensorType, dims?: readonly DeclaredDim[]): string {
    this.graph.output.push(valueInfo(name, type, dims));
    return name;
  }

  /**
   * Adds an initializer holding `tensor` and returns its name.
   *
   * @example
   * ```ts
   * builder.constant('shape', createTensor('int64', [3], new BigInt64Array([0n, 0n, 8n]))); // 'shape'
   * ```
   */
  constant(name: string, tensor: Tensor): string {
    this.graph.initializer.push(tensorProto(name, tensor));
    return name;
  }

  /**
   * Adds a float32 initializer of seeded normal samples times `scale` and returns its name.
   *
   * @example
   * ```ts
   * builder.weight('encoder.wq', [8, 8], 0.3); // 'encoder.wq', 64 values drawn from the builder's seed
   * ```
   */
  weight(name: string, dims: readonly number[], scale = 0.5): string {
    const size = dims.reduce((product, dim) => product * dim, 1);
    return this.constant(name, {
      type: 'float32',
      data: randomNormal(this.random, size, scale),
      dims,
    });
  }

  /**
   * Appends a node and returns its output names.
   *
   * @example
   * ```ts
   * const [probabilities] = builder.node('Softmax', [scores], { name: '/model/encoder/layers.0/self_attn/Softmax', attributes: { axis: -1 } });
   * ```
   */
  node(opType: string, inputs: readonly string[], options: OnnxNodeOptions = {}): string[] {
    const outputs =
      typeof options.outputs === 'object'
        ? [...options.outputs]
        : Array.from({ length: options.outputs ?? 1 }, () => this.fresh(opType));
    const attribute = Object.entries(options.attributes ?? {}).map(([name, value]) =>
      attributeProto(name, value),
    );
    this.graph.node.push({
      opType,
      input: [...inputs],
      output: outputs,
      name: options.name ?? '',
      domain: options.domain ?? '',
      attribute,
    });
    return outputs;
  }

  /** The model: IR version 8 and the opsets given to the constructor. */
  toModel(): onnx.ModelProto {
    return onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'attn-test',
      opsetImport: this.opsets,
      graph: this.graph,
    });
  }

  /** The model serialised as `.onnx` bytes. */
  toBytes(): Uint8Array {
    return encodeModel(this.toModel());
  }

  private fresh(opType: string): string {
    return `${opType.toLowerCase()}_${this.counter++}`;
  }
}

function tensorProto(name: string, tensor: Tensor): onnx.ITensorProto {
  const data = tensor.data;
  return {
    name,
    dims: [...tensor.dims],
    dataType: onnxDataType(tensor.type),
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  };
}

function attributeProto(name: string, value: OnnxAttribute): onnx.IAttributeProto {
  const Type = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, type: Type.INT, i: value }
      : { name, type: Type.FLOAT, f: value };
  }
  if (typeof value === 'string')
    return { name, type: Type.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: Type.INTS, ints: [...(value as number[])] };
  if ('float' in value) return { name, type: Type.FLOAT, f: value.float };
  if ('graph' in value) return { name, type: Type.GRAPH, g: value.graph };
  return { name, type: Type.TENSOR, t: tensorProto(name, (value as { tensor: Tensor }).tensor) };
}

/**
 * Moves the top-level initializers of at least `minBytes` bytes into one external data file, as exports of models
 * over 2 GB do (onnx keeps small tensors inline: shape inference must read Reshape shapes and Unsqueeze axes).
 * Write `model` to `<folder>/<name>.onnx` and `data` to `<folder>/<location>`.
 *
 * @example
 * ```ts
 * const { model, data } = withExternalData(attentionGraph().bytes, 'model.onnx_data');
 * await writeFile(join(folder, 'model.onnx'), model);
 * await writeFile(join(folder, 'model.onnx_data'), data);
 * ```
 */
export function withExternalData(
  bytes: Uint8Array,
  location: string,
  minBytes = 64,
): { model: Uint8Array; data: Uint8Array } {
  const model = onnx.ModelProto.decode(bytes);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of model.graph?.initializer ?? []) {
    const raw = tensor.rawData ?? new Uint8Array(0);
    if (raw.length < minBytes) continue;
    tensor.externalData = [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(raw.length) },
    ];
    tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    tensor.rawData = new Uint8Array(0);
    chunks.push(raw);
    offset += raw.length;
  }
  const data = new Uint8Array(offset);
  let position = 0;
  for (const chunk of chunks) {
    data.set(chunk, position);
    position += chunk.length;
  }
  return { model: encodeModel(model), data };
}
