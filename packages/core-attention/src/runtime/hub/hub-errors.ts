// Hub answers and transport failures turned into AttnErrors that name the repository, file,
// revision and endpoint. Status codes and X-Error-Code values follow the Hugging Face Hub's HTTP API.
import { AttnError } from '../../errors/index.js';

/** What one `hubFile` call asked for, for error messages. */
export interface HubTarget {
  repoId: string;
  path: string;
  revision: string;
  endpoint: string;
  hasToken: boolean;
}

const tokenFix = 'set HF_TOKEN (or pass options.token) to a token that can read it';

/**
 * `'config.json' of 'org/name' at revision 'main'`.
 *
 * @example
 * ```ts
 * describeTarget({ repoId: 'org/name', path: 'config.json', revision: 'main', endpoint: '', hasToken: false });
 * // "'config.json' of 'org/name' at revision 'main'"
 * ```
 * @throws never.
 */
export function describeTarget(target: HubTarget): string {
  return `'${target.path}' of '${target.repoId}' at revision '${target.revision}'`;
}

/**
 * The AttnError for a hub answer that is not a success: 404 EntryNotFound → FILE_NOT_FOUND,
 * 404 RepoNotFound / RevisionNotFound and 401 RepoNotFound without a token → MODEL_NOT_FOUND,
 * 401 GatedRepo, other 401 and 403 → UNAUTHORIZED, anything else → NETWORK.
 *
 * @example
 * ```ts
 * statusError(target, new Response(null, { status: 404, headers: { 'X-Error-Code': 'EntryNotFound' } })).code;
 * // 'FILE_NOT_FOUND'
 * ```
 * @throws never; returns the error for the caller to throw.
 */
export function statusError(target: HubTarget, response: Response): AttnError {
  const errorCode = response.headers.get('x-error-code') ?? '';
  const hubMessage = response.headers.get('x-error-message');
  const said = `(${response.status}${errorCode === '' ? '' : ` ${errorCode}`}${hubMessage === null ? '' : `: ${hubMessage}`})`;
  const where = `${target.endpoint}/${target.repoId}`;
  if (response.status === 404 && errorCode === 'EntryNotFound') {
    return new AttnError(
      'FILE_NOT_FOUND',
      `hubFile(): ${describeTarget(target)} does not exist ${said}`,
      {
        likelyCause: 'the file name is misspelt, or this repository does not include that file',
        fix: `check the files listed at ${where}/tree/${target.revision}`,
      },
    );
  }
  if (response.status === 404 && errorCode === 'RevisionNotFound') {
    return new AttnError(
      'MODEL_NOT_FOUND',
      `hubFile(): '${target.repoId}' has no revision '${target.revision}' ${said}`,
      {
        fix: `pass a branch, tag or commit listed at ${where}`,
      },
    );
  }
  if (
    response.status === 404 ||
    (response.status === 401 && errorCode === 'RepoNotFound' && !target.hasToken)
  ) {
    return new AttnError(
      'MODEL_NOT_FOUND',
      `hubFile(): no repository '${target.repoId}' at ${target.endpoint} ${said}`,
      {
        likelyCause: target.hasToken
          ? 'the id is misspelt, or your token cannot read this repository'
          : 'the id is misspelt, or the repository is private or gated and no token was sent',
        fix: target.hasToken
          ? 'check the id and the token'
          : `check the id; for a private repository ${tokenFix}`,
      },
    );
  }
  if (response.status === 401 || response.status === 403) {
    const gated = errorCode === 'GatedRepo' || response.status === 403;
    return new AttnError(
      'UNAUTHORIZED',
      `hubFile(): the hub refused access to ${describeTarget(target)} ${said}`,
      {
        likelyCause: gated
          ? 'the repository is gated and its conditions were not accepted with this account'
          : target.hasToken
            ? 'the token is invalid or expired'
            : 'the repository needs a token',
        fix: gated ? `accept the conditions at ${where}, then ${tokenFix}` : tokenFix,
      },
    );
  }
  return new AttnError(
    'NETWORK',
    `hubFile(): ${target.endpoint} answered ${said} for ${describeTarget(target)}`,
    {
      likelyCause:
        response.status >= 500
          ? 'the hub or a proxy is failing for now'
          : 'an unexpected answer from the endpoint',
      fix: 'retry later (a partial download is kept and resumes), or set HF_HUB_OFFLINE=1 to use the cache only',
    },
  );
}

/**
 * The AttnError for a request that got no answer: ABORTED when the caller's signal fired, NETWORK
 * (with the endpoint and the cause, e.g. ECONNREFUSED or a timeout) otherwise.
 *
 * @example
 * ```ts
 * transportError(target, new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }), undefined, false).message;
 * // "hubFile(): could not reach https://huggingface.co for 'config.json' of 'org/name' at revision 'main': ECONNREFUSED. …"
 * ```
 * @throws never; returns the error for the caller to throw.
 */
export function transportError(
  target: HubTarget,
  error: unknown,
  signal: AbortSignal | undefined,
  timedOut: boolean,
): AttnError {
  if (AttnError.is(error)) return error;
  if (signal?.aborted === true) {
    return new AttnError('ABORTED', `hubFile(): aborted while fetching ${describeTarget(target)}`, {
      cause: error,
    });
  }
  const reason = timedOut ? 'no answer in time' : describeCause(error);
  return new AttnError(
    'NETWORK',
    `hubFile(): could not reach ${target.endpoint} for ${describeTarget(target)}: ${reason}`,
    {
      likelyCause: 'no network, a wrong HF_ENDPOINT, or the hub is down',
      fix: 'check the connection and HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use the cache only',
      cause: error,
    },
  );
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string')
    return typeof cause.message === 'string' ? `${cause.code} (${cause.message})` : cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
