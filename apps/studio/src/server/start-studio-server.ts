// The studio's HTTP server (node:http, no framework): the built UI, GET /api/health, GET /api/models and
// POST /api/<task>, which goes through the bounded worker pool. Binds 127.0.0.1 unless told otherwise, and then
// answers only requests addressed to a loopback name, so a web page cannot reach it by DNS rebinding.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { modelsRoot as shippedModelsRoot } from '@attn/models';
import {
  studioTasks,
  taskInputKinds,
  type HealthResponse,
  type ModelsResponse,
  type StudioTask,
} from '../api/studio-api.js';
import { HttpError, httpErrorOf } from './http-error.js';
import { InferencePool } from './inference-pool.js';
import { listModels, modelCatalog, resolveModel } from './model-catalog.js';
import { readCappedBody } from './read-capped-body.js';
import { serveUi } from './serve-ui.js';
import { expectMediaType, taskInput } from './task-input.js';

export interface StudioServerOptions {
  /** Default '127.0.0.1'. Anything but a loopback address exposes the studio to the network. */
  host?: string;
  /** Default 4500; 0 picks a free port (read it from `port` or `url`). */
  port?: number;
  /** Inference worker processes. Default 1 (onnxruntime already uses every core for one job). */
  workers?: number;
  /** Jobs that may wait for a worker; beyond, requests are answered 429. Default 8. */
  maxQueued?: number;
  /** Largest image or WAV upload. Default 10 MiB. */
  maxUploadBytes?: number;
  /** Largest JSON body. Default 256 KiB. */
  maxJsonBytes?: number;
  /** A job's time limit, queueing included. Default 120 s. */
  jobTimeoutMs?: number;
  /** Per task, the models it offers (`attn/<name>` or a folder); the first is its default. Default: the shipped defaults. */
  models?: Partial<Record<StudioTask, readonly string[]>>;
  /** Where `attn/<name>` models live. Default @attn/models. */
  modelsRoot?: string;
  /** The built UI. Default apps/studio/dist/ui. */
  uiRoot?: string;
  /** Where failures the client is not told the details of are reported. Default: nowhere. */
  log?: (line: string) => void;
}

/** A running studio. */
export interface StudioServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** GET /api/models: each task's models and whether they are there. */
  models(): Promise<ModelsResponse>;
  /** Stops accepting, lets running jobs finish for up to `graceMs` (default 5000), then stops the workers. */
  close(graceMs?: number): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);
const loopbackNames = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Starts the studio server.
 *
 * @example
 * ```ts
 * const studio = await startStudioServer({ port: 0, models: { detect: ['/fixtures/tiny-detr'] } });
 * await (await fetch(`${studio.url}/api/health`)).json(); // { status: 'ok', running: 0, queued: 0, … }
 * await studio.close();
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for bad model choices; the listen error (EADDRINUSE, EACCES) as it comes.
 */
export async function startStudioServer(options: StudioServerOptions = {}): Promise<StudioServer> {
  const {
    host = '127.0.0.1',
    port = 4500,
    workers = 1,
    maxQueued = 8,
    maxUploadBytes = 10 * 1024 * 1024,
    maxJsonBytes = 256 * 1024,
    jobTimeoutMs = 120_000,
    log = () => undefined,
  } = options;
  const catalog = modelCatalog(options.models ?? {}, options.modelsRoot ?? shippedModelsRoot);
  const uiRoot = options.uiRoot ?? fileURLToPath(new URL('../../dist/ui', import.meta.url));
  const pool = new InferencePool({ workers, maxQueued, jobTimeoutMs, log });
  const started = performance.now();
  const checkHost = loopbackHosts.has(host);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://studio.invalid');
    if (checkHost && !loopbackNames.has(hostName(request.headers.host)))
      throw new HttpError(403, 'FORBIDDEN_HOST', `the studio answers requests to localhost only`);
    const method = request.method ?? 'GET';
    if (!url.pathname.startsWith('/api/')) {
      if (method !== 'GET' && method !== 'HEAD')
        throw notAllowed(method, url.pathname, 'GET, HEAD');
      return serveUi(uiRoot, url.pathname, response, method === 'HEAD');
    }
    const route = url.pathname.slice('/api/'.length);
    if (route === 'health' || route === 'models') {
      if (method !== 'GET') throw notAllowed(method, url.pathname, 'GET');
      return sendJson(response, 200, route === 'health' ? health() : await models());
    }
    if (!(studioTasks as readonly string[]).includes(route))
      throw new HttpError(
        404,
        'NOT_FOUND',
        `no API route ${url.pathname}: the studio has GET /api/health, GET /api/models and POST /api/<task> for ${studioTasks.join(', ')}`,
      );
    const task = route as StudioTask;
    if (method !== 'POST') throw notAllowed(method, url.pathname, 'POST');
    expectMediaType(task, request.headers['content-type']);
    const limit = taskInputKinds[task] === 'json' ? maxJsonBytes : maxUploadBytes;
    const body = await readCappedBody(request, limit);
    const { input, modelId } = taskInput(task, body, url.searchParams);
    const model = await resolveModel(catalog, task, modelId);
    // the client leaving (its socket closing before the answer is written) cancels the job
    const cancelled = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) cancelled.abort();
    });
    const json = await pool.run({ input, model }, cancelled.signal);
    sendBody(response, 200, json);
  }

  async function models(): Promise<ModelsResponse> {
    return { ...(await listModels(catalog)), limits: { maxUploadBytes, maxJsonBytes } };
  }

  function health(): HealthResponse {
    return {
      status: 'ok',
      uptimeSeconds: Math.round((performance.now() - started) / 1000),
      ...pool.stats(),
      rssBytes: process.memoryUsage.rss(),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const failure = httpErrorOf(error);
      if (failure.code === 'INTERNAL' && !(error instanceof HttpError))
        log(
          `request ${request.method} ${request.url} failed: ${(error as Error).stack ?? String(error)}`,
        );
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // a body left unread (refused before or while reading it) cannot be skipped on a kept-alive connection
      const headers = request.complete
        ? failure.headers
        : { ...failure.headers, Connection: 'close' };
      sendBody(response, failure.status, JSON.stringify(failure.body()), headers);
    });
  });
  server.requestTimeout = 60_000; // the whole request, upload included
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 1024;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    models,
    async close(graceMs = 5000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await pool.close(graceMs);
      server.closeAllConnections();
      await closed;
    },
  };
}

function hostName(header: string | undefined): string {
  if (header === undefined) return '';
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0]!;
}

function notAllowed(method: string, pathname: string, allowed: string): HttpError {
  return new HttpError(405, 'METHOD_NOT_ALLOWED', `${pathname} takes ${allowed}, not ${method}`, {
    Allow: allowed,
  });
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  sendBody(response, status, JSON.stringify(value));
}

function sendBody(
  response: ServerResponse,
  status: number,
  json: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(json);
}
