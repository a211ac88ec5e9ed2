// Options of the Hugging Face Hub client and their defaults from the environment, read the way
// huggingface_hub reads them (https://huggingface.co/docs/huggingface_hub/package_reference/environment_variables).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { invalidArgument, describeValue } from '../../errors/index.js';

/** One progress report of a download: bytes on disk so far (resumed bytes included) and the expected size. */
export interface DownloadProgress {
  /** The file's path inside its repository, e.g. `onnx/model.onnx`. */
  file: string;
  /** Bytes of the file received so far; never decreases within one download. */
  loaded: number;
  /** The file's size as the hub announced it, or undefined when the hub did not say. */
  total: number | undefined;
}

/** How `hubFile` finds, fetches and caches a file. Every field is optional. */
export interface HubOptions {
  /** Branch, tag or commit sha. Default `'main'`. */
  revision?: string;
  /** Cache folder in the huggingface_hub layout. Default {@link defaultHubCacheDir}. */
  cacheDir?: string;
  /** Hub address. Default `$HF_ENDPOINT` or `https://huggingface.co`. */
  endpoint?: string;
  /** Access token sent as `Authorization: Bearer`, to the hub's own host only. Default `$HF_TOKEN`; `''` sends none. */
  token?: string;
  /** Never touch the network; serve from the cache or fail with OFFLINE. Default: `HF_HUB_OFFLINE` is truthy. */
  offline?: boolean;
  /** Called as bytes arrive. Without it, a one-line bar is drawn on stderr when stderr is a terminal. */
  onProgress?: (event: DownloadProgress) => void;
  /** Cancels the lookup or download; the call then fails with ABORTED. */
  signal?: AbortSignal;
  /** The fetch to use. Default the global fetch (undici in Node 20). */
  fetch?: typeof fetch;
  /** Milliseconds to wait for an answer, and between two chunks of a download. Default 10 000. */
  timeoutMs?: number;
}

/** The settings the environment gives, before options override them. */
export interface HubEnvironment {
  cacheDir: string;
  endpoint: string;
  token: string | undefined;
  offline: boolean;
}

/** {@link HubOptions} with every default filled in. */
export interface ResolvedHubOptions extends HubEnvironment {
  revision: string;
  onProgress: ((event: DownloadProgress) => void) | undefined;
  signal: AbortSignal | undefined;
  fetch: typeof fetch;
  timeoutMs: number;
}

type Environment = Record<string, string | undefined>;

const defaultEndpoint = 'https://huggingface.co';
const defaultTimeoutMs = 10_000;

/** An environment variable, with empty strings treated as unset. */
function variable(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The hub cache folder huggingface_hub uses: `$HF_HUB_CACHE`, else `$HUGGINGFACE_HUB_CACHE`, else
 * `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`.
 *
 * @example
 * ```ts
 * defaultHubCacheDir({ HF_HOME: '/data/hf' }); // '/data/hf/hub'
 * defaultHubCacheDir({ HF_HUB_CACHE: '/models' }); // '/models'
 * ```
 * @throws never.
 */
export function defaultHubCacheDir(env: Environment = process.env): string {
  const explicit = variable(env, 'HF_HUB_CACHE') ?? variable(env, 'HUGGINGFACE_HUB_CACHE');
  if (explicit !== undefined) return explicit;
  const home =
    variable(env, 'HF_HOME') ??
    join(variable(env, 'XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'huggingface');
  return join(home, 'hub');
}

/**
 * Reads the hub settings from environment variables: the cache folder ({@link defaultHubCacheDir}),
 * `HF_ENDPOINT`, `HF_TOKEN` and `HF_HUB_OFFLINE` (`1`, `true`, `yes` or `on`, any case, as in huggingface_hub).
 * The token file written by `huggingface-cli login` is not read.
 *
 * @example
 * ```ts
 * hubEnvironment({ HF_HOME: '/data/hf', HF_HUB_OFFLINE: '1' });
 * // { cacheDir: '/data/hf/hub', endpoint: 'https://huggingface.co', token: undefined, offline: true }
 * ```
 * @throws never.
 */
export function hubEnvironment(env: Environment = process.env): HubEnvironment {
  return {
    cacheDir: defaultHubCacheDir(env),
    endpoint: variable(env, 'HF_ENDPOINT') ?? defaultEndpoint,
    token: variable(env, 'HF_TOKEN'),
    offline: ['1', 'true', 'yes', 'on'].includes(
      (variable(env, 'HF_HUB_OFFLINE') ?? '').toLowerCase(),
    ),
  };
}

/**
 * Fills in every default of {@link HubOptions}: options first, then the environment.
 *
 * @example
 * ```ts
 * resolveHubOptions('hubFile', { endpoint: 'http://127.0.0.1:8080/' }, {}).endpoint; // 'http://127.0.0.1:8080'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the endpoint is not an http(s) URL or timeoutMs is not positive.
 */
export function resolveHubOptions(
  fn: string,
  options: HubOptions,
  env: Environment = process.env,
): ResolvedHubOptions {
  const environment = hubEnvironment(env);
  const endpoint = (options.endpoint ?? environment.endpoint).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(endpoint)) {
    throw invalidArgument(
      fn,
      'endpoint',
      'an http(s) URL such as https://huggingface.co',
      describeValue(endpoint),
      {
        fix: 'pass options.endpoint or set HF_ENDPOINT to the hub address',
      },
    );
  }
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (!(timeoutMs > 0))
    throw invalidArgument(fn, 'timeoutMs', 'a positive number', describeValue(timeoutMs));
  return {
    revision: options.revision ?? 'main',
    cacheDir: options.cacheDir ?? environment.cacheDir,
    endpoint,
    token: options.token === '' ? undefined : (options.token ?? environment.token),
    offline: options.offline ?? environment.offline,
    onProgress: options.onProgress,
    signal: options.signal,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs,
  };
}

/**
 * What of `hub` decides which files a model id names (revision, endpoint, cache folder): the part of a loaded-model
 * cache key that keeps two revisions of one id apart. Token, offline mode, progress and signal do not change the
 * files, so they are left out.
 *
 * @example
 * ```ts
 * JSON.stringify(['org/model', 'fp32', hubIdentity({ revision: 'v2' })]); // '["org/model","fp32",["v2",null,null]]'
 * ```
 */
export function hubIdentity(
  hub: HubOptions | undefined,
): [string | null, string | null, string | null] {
  return [hub?.revision ?? null, hub?.endpoint ?? null, hub?.cacheDir ?? null];
}
