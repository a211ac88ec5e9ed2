// HTTP requests to the hub: redirects followed by hand so that the token never leaves the hub's
// own origin (relative and absolute Location), a timeout that also covers stalls inside a body,
// and transport failures mapped to AttnErrors.
import { AttnError } from '../../errors/index.js';
import { transportError, type HubTarget } from './hub-errors.js';

/** A timer that aborts a request when no progress was made for `timeoutMs`, linked to the caller's signal. */
export interface Deadline {
  /** Aborts when the caller aborts or the timer runs out. */
  readonly signal: AbortSignal;
  /** True once the timer (not the caller) aborted. */
  readonly timedOut: boolean;
  /** Starts the timer again: call it whenever bytes arrive. */
  restart(): void;
  /** Stops the timer for good. */
  clear(): void;
}

/** A final answer and the address that gave it (redirects resolved). */
export interface HubAnswer {
  response: Response;
  url: URL;
}

/** What every request of one `hubFile` call shares. */
export interface HubConnection {
  target: HubTarget;
  fetch: typeof fetch;
  token: string | undefined;
  /** The caller's signal, kept apart from the deadline's so an abort is told from a timeout. */
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

const maxRedirects = 10;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * A {@link Deadline} of `timeoutMs`, started now.
 *
 * @example
 * ```ts
 * const deadline = startDeadline(10_000, options.signal);
 * try { await fetch(url, { signal: deadline.signal }); } finally { deadline.clear(); }
 * ```
 * @throws never.
 */
export function startDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`no progress for ${timeoutMs} ms`));
    }, timeoutMs);
  };
  restart();
  return {
    signal:
      callerSignal === undefined
        ? controller.signal
        : AbortSignal.any([callerSignal, controller.signal]),
    get timedOut() {
      return timedOut;
    },
    restart,
    clear: () => clearTimeout(timer),
  };
}

/**
 * Sends `method` to `url` and follows redirects until a final answer, or until `stopAt` accepts a
 * response (a HEAD stops at the hub's 302 to its CDN to read X-Linked-Etag). `Authorization` goes
 * only to the endpoint's origin. Non-success answers are returned, not thrown.
 *
 * @example
 * ```ts
 * const { response } = await hubRequest(connection, deadline, 'https://huggingface.co/gpt2/resolve/main/config.json', 'GET');
 * response.status; // 200
 * ```
 * @throws {AttnError} ABORTED when the caller's signal fires; NETWORK when the endpoint cannot be
 * reached, times out or redirects more than 10 times.
 */
export async function hubRequest(
  connection: HubConnection,
  deadline: Deadline,
  url: string,
  method: 'HEAD' | 'GET',
  headers: Record<string, string> = {},
  stopAt: (response: Response) => boolean = () => false,
): Promise<HubAnswer> {
  const hubOrigin = new URL(connection.target.endpoint).origin;
  let current = new URL(url);
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const sent = { ...headers };
    if (connection.token !== undefined && current.origin === hubOrigin)
      sent.Authorization = `Bearer ${connection.token}`;
    let response: Response;
    try {
      response = await connection.fetch(current, {
        method,
        headers: sent,
        redirect: 'manual',
        signal: deadline.signal,
      });
    } catch (error) {
      throw transportError(connection.target, error, connection.signal, deadline.timedOut);
    }
    const location = response.headers.get('location');
    if (!redirectStatuses.has(response.status) || location === null || stopAt(response))
      return { response, url: current };
    await response.body?.cancel().catch(() => undefined);
    current = new URL(location, current);
  }
  throw new AttnError(
    'NETWORK',
    `hubFile(): more than ${maxRedirects} redirects from ${connection.target.endpoint}`,
    {
      likelyCause: 'a redirect loop in the endpoint or a proxy',
    },
  );
}
