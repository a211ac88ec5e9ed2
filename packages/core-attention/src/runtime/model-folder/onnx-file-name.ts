// File names of ONNX sessions by dtype, with the suffixes of Hugging Face / transformers.js exports:
// onnx/<session><suffix>.onnx, external weights in <session><suffix>.onnx_data (then _data_1, _data_2, …).
import { describeValue, invalidArgument } from '../../errors/index.js';
import type { OnnxSessionName } from './model-types.js';

/** Weight formats of an export. */
export type ModelDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';

/** The file-name suffix of each dtype. */
export const dtypeSuffixes: Readonly<Record<ModelDtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

const sessionNames: readonly OnnxSessionName[] = [
  'model',
  'encoder_model',
  'decoder_model_merged',
  'decoder_model',
  'decoder_with_past_model',
];

/**
 * The path of a session's file inside a model folder.
 *
 * @example
 * ```ts
 * onnxFileName('decoder_model_merged', 'q8'); // 'onnx/decoder_model_merged_quantized.onnx'
 * onnxFileName('model'); // 'onnx/model.onnx'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for an unknown session name or dtype.
 */
export function onnxFileName(session: OnnxSessionName, dtype: ModelDtype = 'fp32'): string {
  if (!sessionNames.includes(session))
    throw invalidArgument(
      'onnxPath',
      'session',
      `one of ${sessionNames.join(', ')}`,
      describeValue(session),
    );
  const suffix = dtypeSuffixes[dtype];
  if (suffix === undefined)
    throw invalidArgument(
      'onnxPath',
      'dtype',
      `one of ${Object.keys(dtypeSuffixes).join(', ')}`,
      describeValue(dtype),
    );
  return `onnx/${session}${suffix}.onnx`;
}

/**
 * The session and dtype an ONNX file name stands for, or undefined for other names.
 *
 * @example
 * ```ts
 * parseOnnxFileName('encoder_model_fp16.onnx'); // { session: 'encoder_model', dtype: 'fp16' }
 * parseOnnxFileName('weights.bin'); // undefined
 * ```
 */
export function parseOnnxFileName(
  fileName: string,
): { session: OnnxSessionName; dtype: ModelDtype } | undefined {
  const stem = /^(.*)\.onnx$/.exec(fileName.replace(/^onnx\//, ''))?.[1];
  if (stem === undefined) return undefined;
  // Longest suffix first: '_q4f16' before '_q4' and '', 'decoder_model_merged' before 'decoder_model'.
  const dtypes = (Object.entries(dtypeSuffixes) as [ModelDtype, string][]).sort(
    ([, a], [, b]) => b.length - a.length,
  );
  for (const [dtype, suffix] of dtypes) {
    const session =
      suffix === '' ? stem : stem.endsWith(suffix) ? stem.slice(0, -suffix.length) : undefined;
    if (session !== undefined && sessionNames.includes(session as OnnxSessionName))
      return { session: session as OnnxSessionName, dtype };
  }
  return undefined;
}
