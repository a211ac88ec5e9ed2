// onnxruntime's errors as AttnError: MODEL_FORMAT when a file is not a model onnxruntime can load, FILE_NOT_FOUND
// for a missing file, INVALID_ARGUMENT for session options it refuses, RUNTIME for everything else; the file is
// always named and ort's message kept as the cause.
import { AttnError } from '../../errors/index.js';

/** onnxruntime-node's words for session options it cannot use (thrown as plain Error, unlike its TypeError / RangeError). */
const optionProblems =
  /^Invalid argument: sessionOptions|no available backend found|AppendExecutionProvider/;

const formatProblems =
  /protobuf parsing failed|invalid_protobuf|invalid_graph|load model from .* failed|model_path|shapeinferenceerror|type error|opset|could not find an implementation|not_implemented|external data/i;

/**
 * Wraps an error thrown by `ort.InferenceSession.create` for the model `file`.
 *
 * @example
 * ```ts
 * creationError(new Error('Protobuf parsing failed.'), 'onnx/model.onnx').code; // 'MODEL_FORMAT'
 * ```
 */
export function creationError(error: unknown, file: string): AttnError {
  if (AttnError.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/no such file|does not exist|ENOENT/i.test(message) && !/external data/i.test(message)) {
    return new AttnError('FILE_NOT_FOUND', `createSession(): no model file at ${file}`, {
      cause: error,
    });
  }
  // onnxruntime-node checks the session options before it reads the file, and throws these for a bad one
  if (error instanceof TypeError || error instanceof RangeError || optionProblems.test(message)) {
    return new AttnError(
      'INVALID_ARGUMENT',
      `createSession(): onnxruntime refused the session options for ${file}: ${firstLine(message)}`,
      {
        likelyCause:
          'a session option of the wrong type or out of range, or an execution provider this onnxruntime-node build lacks',
        fix: "pass onnxruntime-node's InferenceSession.SessionOptions (numbers for thread counts, strings for extra entries); sessionOptions() shows attn's defaults",
        cause: error,
      },
    );
  }
  if (formatProblems.test(message)) {
    return new AttnError(
      'MODEL_FORMAT',
      `createSession(): onnxruntime cannot load ${file}: ${firstLine(message)}`,
      {
        likelyCause:
          'the file is truncated or not an ONNX model, its external data (.onnx_data) is missing, or it uses an operator or opset onnxruntime-node 1.30 on CPU does not implement',
        fix: 'download or export the model again (opset 17 works everywhere), keeping the .onnx_data files beside the .onnx',
        cause: error,
      },
    );
  }
  return new AttnError(
    'RUNTIME',
    `createSession(): onnxruntime failed to create a session for ${file}: ${firstLine(message)}`,
    { cause: error },
  );
}

/**
 * Wraps an error thrown by `session.run` on the model `file`, listing the shapes it was given.
 *
 * @example
 * ```ts
 * runError(new Error('Got invalid dimensions for input: input_ids'), 'onnx/model.onnx', 'input_ids int64 [1,5]').code; // 'RUNTIME'
 * ```
 */
export function runError(error: unknown, file: string, given: string): AttnError {
  if (AttnError.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AttnError(
    'RUNTIME',
    `run(): onnxruntime failed on ${file} with inputs ${given}: ${firstLine(message)}`,
    {
      likelyCause:
        'an input shape the graph does not accept (batch or sequence sizes that disagree between inputs)',
      cause: error,
    },
  );
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
