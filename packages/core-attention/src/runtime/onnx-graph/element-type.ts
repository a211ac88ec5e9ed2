// ONNX element types (TensorProto.DataType) and onnxruntime's names for them.
import type { TensorType } from '../../tensor/index.js';
import { onnx } from './onnx.js';

const DataType = onnx.TensorProto.DataType;

const dataTypes: { readonly [T in TensorType]: number } = {
  float32: DataType.FLOAT,
  uint8: DataType.UINT8,
  int8: DataType.INT8,
  uint16: DataType.UINT16,
  int16: DataType.INT16,
  int32: DataType.INT32,
  int64: DataType.INT64,
  bool: DataType.BOOL,
  float16: DataType.FLOAT16,
  float64: DataType.DOUBLE,
  uint32: DataType.UINT32,
  uint64: DataType.UINT64,
};

/**
 * The ONNX `TensorProto.DataType` number of an element type.
 *
 * @example
 * ```ts
 * onnxDataType('float32'); // 1
 * onnxDataType('int64'); // 7
 * ```
 */
export function onnxDataType(type: TensorType): number {
  return dataTypes[type];
}

/**
 * The element type of an ONNX `TensorProto.DataType` number, or undefined for types attn does not handle
 * (string, bfloat16, complex, float8).
 *
 * @example
 * ```ts
 * tensorTypeOf(10); // 'float16'
 * tensorTypeOf(8); // undefined (string)
 * ```
 */
export function tensorTypeOf(dataType: number): TensorType | undefined {
  for (const [type, value] of Object.entries(dataTypes))
    if (value === dataType) return type as TensorType;
  return undefined;
}
