// The answer to a request the server refuses or fails: an HTTP status, a code, a message and any headers, written
// as the ErrorResponse body. AttnErrors from the pipelines become HttpErrors through {@link httpErrorOf}.
import { AttnError, type AttnErrorCode } from '@attn/core-attention';
import type { ErrorResponse } from '../api/studio-api.js';

/** A refusal or failure with the status and body to answer it with. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  /** An AttnError code, or the server's own: PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, QUEUE_FULL, … */
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  /**
   * The JSON body of this error.
   *
   * @example
   * ```ts
   * new HttpError(413, 'PAYLOAD_TOO_LARGE', 'the upload is over 10 MiB').body();
   * // { error: { code: 'PAYLOAD_TOO_LARGE', status: 413, message: 'the upload is over 10 MiB' } }
   * ```
   */
  body(): ErrorResponse {
    return { error: { code: this.code, status: this.status, message: this.message } };
  }
}

/**
 * The HTTP status of each AttnError code: the client's mistakes are 4xx (a bad argument or input 400, an unknown
 * model 404, a model that cannot do the task 422), the server's and its models' are 5xx.
 *
 * @example
 * ```ts
 * statusOfAttnCode.INPUT_FORMAT; // 400
 * ```
 */
export const statusOfAttnCode: Readonly<Record<AttnErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  INPUT_FORMAT: 400,
  MODEL_NOT_FOUND: 404,
  UNSUPPORTED: 422,
  SHAPE_MISMATCH: 500,
  FILE_NOT_FOUND: 500,
  MODEL_FORMAT: 500,
  RUNTIME: 500,
  DATA_NOT_FOUND: 500,
  NETWORK: 502,
  UNAUTHORIZED: 502,
  INTEGRITY: 502,
  OFFLINE: 503,
  ABORTED: 503,
};

/**
 * `error` as an HttpError: itself, an AttnError with its code's status and message, anything else a 500 that says
 * it is a bug (the detail stays in the server's log, not in the answer).
 *
 * @example
 * ```ts
 * httpErrorOf(new AttnError('MODEL_NOT_FOUND', "no shipped model 'attn/x'")).status; // 404
 * httpErrorOf(new TypeError('x')).code; // 'INTERNAL'
 * ```
 * @throws never.
 */
export function httpErrorOf(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (AttnError.is(error)) {
    return new HttpError(statusOfAttnCode[error.code] ?? 500, error.code, error.message);
  }
  return new HttpError(
    500,
    'INTERNAL',
    'the server failed unexpectedly (a bug in attn studio; the server log has the details)',
  );
}
