// The ONNX protobuf messages (onnx.proto v1.10, https://github.com/onnx/onnx/blob/v1.10.2/onnx/onnx.proto) as
// onnx-proto's protobufjs static code. onnx-proto is CommonJS, so Node's ESM loader sees only its default export.
// Its declarations name the global `Long` of @types/long (int64 fields) without importing it: the reference below
// brings it into every program that reads ours, so consumers type-check without skipLibCheck.
/// <reference types="long" preserve="true" />
import onnxProto from 'onnx-proto';
/**
 * The onnx.proto messages (ModelProto, GraphProto, NodeProto, …) with protobufjs' encode / decode.
 *
 * @example
 * ```ts
 * const model = onnx.ModelProto.decode(await readFile('model.onnx'));
 * model.graph?.input?.map((input) => input.name); // ['input_ids', 'attention_mask']
 * ```
 */
import onnx = onnxProto.onnx;

export { onnx };

/**
 * An int64 protobuf field (a number, or a `Long` for values beyond 2^53) as a number.
 *
 * @example
 * ```ts
 * toNumber(onnx.AttributeProto.decode(onnx.AttributeProto.encode({ i: 7 }).finish()).i); // 7
 * ```
 */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
