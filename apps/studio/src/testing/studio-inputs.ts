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

/**
 * `seconds` of a gliding tone as a 16-bit PCM mono WAV at 16 kHz.
 *
 * @example
 * ```ts
 * toneWav(1).length; // 44 + 32000
 * ```
 */
export function toneWav(seconds: number): Buffer {
  const frames = Math.round(seconds * 16000);
  const wav = Buffer.alloc(44 + 2 * frames);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + 2 * frames, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(16000, 24);
  wav.writeUInt32LE(32000, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(2 * frames, 40);
  for (let t = 0; t < frames; t++) {
    const time = t / 16000;
    const sample = 0.3 * Math.sin(2 * Math.PI * (180 + 60 * Math.sin(3 * time)) * time);
    wav.writeInt16LE(Math.round(sample * 32767), 44 + 2 * t);
  }
  return wav;
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
