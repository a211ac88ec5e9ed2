// Reading and writing ONNX model files (a serialised onnx.ModelProto) with onnx-proto.
// Fields newer than onnx.proto v1.10 are dropped on re-encoding; graphs, initializers and opsets survive.
import { readFile } from 'node:fs/promises';
import { AttnError } from '../../errors/index.js';
import { onnx } from './onnx.js';

/**
 * Decodes the bytes of an `.onnx` file; `source` names it in errors.
 *
 * @example
 * ```ts
 * const model = decodeModel(await readFile('onnx/model.onnx'), 'onnx/model.onnx');
 * model.graph?.node?.length; // number of top-level nodes
 * ```
 * @throws {AttnError} MODEL_FORMAT when the bytes are not a ModelProto with a graph.
 */
export function decodeModel(bytes: Uint8Array, source: string): onnx.ModelProto {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw notAModel(source, `it is not a valid protobuf (${(error as Error).message})`, error);
  }
  if (model.graph === null || model.graph === undefined) throw notAModel(source, 'it has no graph');
  return model;
}

/**
 * Reads and decodes an `.onnx` file, returning the model and the bytes it came from.
 *
 * @example
 * ```ts
 * const { model, bytes } = await readModel('/models/mt-en-de/onnx/encoder_model.onnx');
 * ```
 * @throws {AttnError} FILE_NOT_FOUND when the file does not exist; MODEL_FORMAT when it is not an ONNX model.
 */
export async function readModel(
  path: string,
): Promise<{ model: onnx.ModelProto; bytes: Uint8Array }> {
  const bytes = await readModelFile(path);
  return { model: decodeModel(bytes, path), bytes };
}

/**
 * The bytes of an `.onnx` file, undecoded (to hash them, or to hand them to onnxruntime).
 *
 * @example
 * ```ts
 * (await readModelFile('/models/mt-en-de/onnx/encoder_model.onnx')).length; // the file's size in bytes
 * ```
 * @throws {AttnError} FILE_NOT_FOUND when the file does not exist.
 */
export async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AttnError('FILE_NOT_FOUND', `readModel(): no ONNX file at ${path}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Serialises a model back to `.onnx` bytes.
 *
 * @example
 * ```ts
 * const bytes = encodeModel(model); // Uint8Array, loadable by onnxruntime
 * ```
 */
export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

function notAModel(source: string, reason: string, cause?: unknown): AttnError {
  return new AttnError('MODEL_FORMAT', `decodeModel(): ${source} is not an ONNX model: ${reason}`, {
    likelyCause: 'the file is truncated, a Git LFS pointer, or not an .onnx file',
    fix: 'download the file again (git lfs pull for a cloned repository) or export the model again',
    cause,
  });
}
