// Declaring values (onnx.proto ValueInfoProto) and adding graph outputs, which is how a rewritten model
// exposes an intermediate tensor to onnxruntime's run().
import type { TensorType } from '../../tensor/index.js';
import { AttnError } from '../../errors/index.js';
import { onnxDataType } from './element-type.js';
import type { onnx } from './onnx.js';

/** A declared dim: a number is fixed, a string is symbolic (named, unknown until run time). */
export type DeclaredDim = number | string;

/**
 * A ValueInfoProto for a tensor of `type`; `dims` omitted leaves the rank unknown.
 *
 * @example
 * ```ts
 * valueInfo('attn.cross.0', 'float32', ['batch_size', 'heads', 'target', 'source']);
 * // { name: 'attn.cross.0', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch_size' }, …] } } } }
 * ```
 */
export function valueInfo(
  name: string,
  type: TensorType,
  dims?: readonly DeclaredDim[],
): onnx.IValueInfoProto {
  const shape =
    dims === undefined
      ? undefined
      : {
          dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })),
        };
  return {
    name,
    type: {
      tensorType: { elemType: onnxDataType(type), ...(shape === undefined ? {} : { shape }) },
    },
  };
}

/**
 * Appends an output to `graph`; onnxruntime then returns the value `name` from run().
 *
 * @example
 * ```ts
 * graph.node.push({ opType: 'Cast', input: ['/model/encoder/layers.0/self_attn/Softmax_output_0'], output: ['attn.encoder_self.0'], attribute: [{ name: 'to', type: 2, i: 1 }] });
 * addGraphOutput(graph, 'attn.encoder_self.0', 'float32');
 * graph.output.at(-1)?.name; // 'attn.encoder_self.0'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the graph already has an output of that name.
 */
export function addGraphOutput(
  graph: onnx.IGraphProto,
  name: string,
  type: TensorType,
  dims?: readonly DeclaredDim[],
): void {
  const outputs = graph.output ?? [];
  if (outputs.some((output) => output.name === name)) {
    throw new AttnError(
      'INVALID_ARGUMENT',
      `addGraphOutput(): the graph already has an output named '${name}'`,
    );
  }
  outputs.push(valueInfo(name, type, dims));
  graph.output = outputs;
}
