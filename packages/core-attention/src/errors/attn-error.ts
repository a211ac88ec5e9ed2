// The one error class of attn: a code from a closed set, a message that says what happened,
// the likely cause and the fix, and the original cause.

/** Every way an attn operation can fail. Callers branch on these, never on message text. */
export type AttnErrorCode =
  /** An argument has the wrong type, rank, size or value. */
  | 'INVALID_ARGUMENT'
  /** Tensors whose dimensions must agree do not. */
  | 'SHAPE_MISMATCH'
  /** A valid request that this model, platform or version cannot serve. */
  | 'UNSUPPORTED'
  /** No model under that id, path or registry name. */
  | 'MODEL_NOT_FOUND'
  /** A model folder or hub repository lacks a file the task needs. */
  | 'FILE_NOT_FOUND'
  /** A model file exists but its content (config, graph, tokenizer) is not what it must be. */
  | 'MODEL_FORMAT'
  /** An input (image, audio, text) could not be decoded or is outside the model's limits. */
  | 'INPUT_FORMAT'
  /** The hub could not be reached or answered with an unexpected status. */
  | 'NETWORK'
  /** A download is needed but offline mode (HF_HUB_OFFLINE=1 or `offline: true`) forbids it. */
  | 'OFFLINE'
  /** The hub refused access (401 / 403): a gated or private repository, or a bad token. */
  | 'UNAUTHORIZED'
  /** A downloaded or cached file does not match its ETag / sha256. */
  | 'INTEGRITY'
  /** The caller's AbortSignal fired. */
  | 'ABORTED'
  /** onnxruntime failed while creating a session or running it. */
  | 'RUNTIME'
  /** A data set or reference file is missing from ATTN_DATA. */
  | 'DATA_NOT_FOUND';

export interface AttnErrorOptions {
  /** The most likely reason, in words a user can act on. */
  likelyCause?: string;
  /** What to do about it. */
  fix?: string;
  /** The underlying error, kept for debugging. */
  cause?: unknown;
}

const marker = Symbol.for('@attn/core-attention/AttnError');

/**
 * The error every attn function throws.
 *
 * @example
 * ```ts
 * try {
 *   throw new AttnError('INVALID_ARGUMENT', "translate(): input must be a non-empty string, got ''", {
 *     fix: 'pass the text to translate',
 *   });
 * } catch (error) {
 *   AttnError.is(error); // true
 *   (error as AttnError).message;
 *   // "translate(): input must be a non-empty string, got ''. Fix: pass the text to translate."
 * }
 * ```
 */
export class AttnError extends Error {
  override readonly name = 'AttnError';
  readonly code: AttnErrorCode;
  readonly likelyCause: string | undefined;
  readonly fix: string | undefined;
  readonly [marker] = true;

  constructor(code: AttnErrorCode, what: string, options: AttnErrorOptions = {}) {
    super(
      composeMessage(what, options),
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.code = code;
    this.likelyCause = options.likelyCause;
    this.fix = options.fix;
  }

  /**
   * True for an AttnError from any copy of this package (a `Symbol.for` marker, not `instanceof`,
   * so two installed copies still recognise each other's errors).
   *
   * @example
   * ```ts
   * AttnError.is(new AttnError('ABORTED', 'translate(): aborted')); // true
   * AttnError.is(new Error('x')); // false
   * ```
   */
  static is(value: unknown): value is AttnError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[marker] === true
    );
  }
}

function composeMessage(what: string, options: AttnErrorOptions): string {
  const parts = [what.replace(/\.$/, '')];
  if (options.likelyCause !== undefined)
    parts.push(`Likely cause: ${options.likelyCause.replace(/\.$/, '')}`);
  if (options.fix !== undefined) parts.push(`Fix: ${options.fix.replace(/\.$/, '')}`);
  return `${parts.join('. ')}.`;
}
