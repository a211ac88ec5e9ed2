// The UI's calls to the studio server: the model list, and one task run whose failure becomes an error carrying
// the server's own message (what happened, the likely cause, the fix).
import type { ErrorResponse, ModelsResponse, StudioTask, TaskResult } from '../api/studio-api.js';

/** A run the server refused or failed, or a server that could not be reached (status 0). */
export class StudioRequestError extends Error {
  override readonly name = 'StudioRequestError';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** What a run sends: a JSON body, or a file with its options in the query string. */
export type RunBody =
  { json: Record<string, unknown> } | { file: Blob; query: Record<string, string> };

/**
 * GET /api/models.
 *
 * @example
 * ```ts
 * (await fetchModels()).tasks[0].defaultModel; // 'attn/mt-en-de'
 * ```
 * @throws {StudioRequestError} when the server cannot be reached or answers with an error.
 */
export async function fetchModels(): Promise<ModelsResponse> {
  return (await call('/api/models', {})) as ModelsResponse;
}

/**
 * POST /api/<task> with `body`.
 *
 * @example
 * ```ts
 * const result = await runTask('translate', { json: { text: 'A dog runs.', model: 'attn/mt-en-de' } });
 * ```
 * @throws {StudioRequestError} with the server's status, code and message; status 0 when it cannot be reached
 * or `signal` fired.
 */
export async function runTask(
  task: StudioTask,
  body: RunBody,
  signal?: AbortSignal,
): Promise<TaskResult> {
  const init: RequestInit =
    'json' in body
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body.json),
        }
      : { method: 'POST', headers: { 'content-type': body.file.type }, body: body.file };
  const query = 'query' in body ? `?${new URLSearchParams(body.query).toString()}` : '';
  return (await call(`/api/${task}${query}`, {
    ...init,
    ...(signal === undefined ? {} : { signal }),
  })) as TaskResult;
}

async function call(path: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError')
      throw new StudioRequestError(0, 'ABORTED', 'cancelled');
    throw new StudioRequestError(
      0,
      'UNREACHABLE',
      'the studio server could not be reached: is it still running?',
    );
  }
  const text = await response.text();
  if (response.ok) return JSON.parse(text) as unknown;
  let error: ErrorResponse['error'] | undefined;
  try {
    error = (JSON.parse(text) as ErrorResponse).error;
  } catch {
    error = undefined;
  }
  throw new StudioRequestError(
    response.status,
    error?.code ?? 'HTTP',
    error?.message ?? `the server answered ${response.status} ${response.statusText}`,
  );
}
