// Inputs and a server for the studio's tests: the random-weight fixture models mapped to every task (attn/mt-en-de
// for translation), a PNG scene, a WAV tone, and helpers to call the API.
import { join } from 'node:path';
import { repositoryRoot } from '@attn/core-attention/testing';
import type { StudioTask } from '../api/studio-api.js';
import {
  startStudioServer,
  type StudioServer,
  type StudioServerOptions,
} from '../server/start-studio-server.js';

/** The folder of a fixture model in packages/core-attention/test-fixtures. */
export function fixtureModel(name: string): string {
  return join(repositoryRoot(), 'packages/core-attention/test-fixtures', name);
}

/** Every task on a fixture model, translation on the shipped attn/mt-en-de (and tiny-marian as a second choice). */
export const fixtureModels: Readonly<Record<StudioTask, readonly string[]>> = {
  translate: ['attn/mt-en-de', fixtureModel('tiny-marian')],
  summarize: [fixtureModel('tiny-bart')],
  answer: [fixtureModel('tiny-bert')],
  chat: [fixtureModel('tiny-gpt2')],
  detect: [fixtureModel('tiny-detr')],
  segment: [fixtureModel('tiny-vit')],
  transcribe: [fixtureModel('tiny-whisper')],
};

/**
 * A studio on a free loopback port with the fixture models; `options` override.
 *
 * @example
 * ```ts
 * const studio = await startFixtureStudio({ maxQueued: 1 });
 * ```
 */
export function startFixtureStudio(options: StudioServerOptions = {}): Promise<StudioServer> {
  return startStudioServer({ port: 0, models: fixtureModels, ...options });
}

/**
 * An 80 x 64 PNG of a pattern, encoded by @attn/vision (sharp).
 *
 * @example
 * ```ts
 * const png = await scenePng(); // Buffer starting 89 50 4e 47
 * ```
 */
export async function scenePng(): Promise<Buffer> {
  const { encodePng } = await import('@attn/vision');
  const width = 80;
  const height = 64;
  const pixels = new Uint8Array(width * height * 3);
  for (let index = 0; index < pixels.length; index++) pixels[index] = (index * 37) % 251;
  return encodePng({ width, height, data: pixels });
}

/** An answer: its status, headers and parsed JSON body. */
export interface ApiAnswer<Body = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: Body;
}

/**
 * POSTs `body` to `<url><path>` with `contentType` (JSON-encoded when it is not bytes or a string).
 *
 * @example
 * ```ts
 * const { status, body } = await post(studio.url, '/api/translate', { text: 'A dog runs.' });
 * ```
 */
export async function post<Body = Record<string, unknown>>(
  url: string,
  path: string,
  body: unknown,
  contentType = 'application/json',
  signal?: AbortSignal,
): Promise<ApiAnswer<Body>> {
  const payload =
    typeof body === 'string'
      ? body
      : body instanceof Uint8Array
        ? new Uint8Array(body) // a copy that owns an ArrayBuffer, as fetch's types ask
        : JSON.stringify(body);
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: payload,
    ...(signal === undefined ? {} : { signal }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Body,
  };
}

/**
 * GETs `<url><path>` and parses the JSON answer.
 *
 * @example
 * ```ts
 * const { body } = await get<HealthResponse>(studio.url, '/api/health');
 * ```
 */
export async function get<Body = Record<string, unknown>>(
  url: string,
  path: string,
): Promise<ApiAnswer<Body>> {
  const response = await fetch(`${url}${path}`);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Body,
  };
}
