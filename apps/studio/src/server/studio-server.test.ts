import { toneWav } from '@attn/core-attention/testing';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AnswerResult,
  ChatResult,
  DetectResult,
  ErrorResponse,
  HealthResponse,
  ModelsResponse,
  SegmentResult,
  SummarizeResult,
  TranscribeResult,
  TranslateResult,
} from '../api/studio-api.js';
import {
  fixtureModel,
  fixtureModels,
  get,
  post,
  scenePng,
  startFixtureStudio,
} from '../testing/studio-inputs.js';
import type { StudioServer } from './start-studio-server.js';

/** A sentence long enough that translating it with 8 beams takes seconds, far longer than the checks around it. */
const longText = Array.from(
  { length: 8 },
  () => 'A man in a red shirt rides a bike past the old church while two dogs run after him.',
).join(' ');

async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function health(url: string): Promise<HealthResponse> {
  return (await get<HealthResponse>(url, '/api/health')).body;
}

/** A raw request, for what fetch will not send: a foreign Host header. */
function rawGet(url: string, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}${path}`, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the studio API', () => {
  let studio: StudioServer;
  let uiRoot: string;
  let png: Buffer;

  beforeAll(async () => {
    uiRoot = await mkdtemp(join(tmpdir(), 'attn-studio-ui-'));
    await mkdir(join(uiRoot, 'assets'));
    await writeFile(join(uiRoot, 'index.html'), '<!doctype html><title>studio</title>');
    await writeFile(join(uiRoot, 'assets', 'app-1234.js'), 'console.log(1);');
    png = await scenePng();
    studio = await startFixtureStudio({
      uiRoot,
      maxUploadBytes: 64 * 1024,
      models: { ...fixtureModels, summarize: [fixtureModel('tiny-bart'), 'attn/not-trained-yet'] },
    });
  });
  afterAll(async () => {
    await studio?.close();
    await rm(uiRoot, { recursive: true, force: true });
  });

  it('answers health and lists each task’s models, saying which are missing and why', async () => {
    const { status, body } = await get<HealthResponse>(studio.url, '/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', running: 0, queued: 0, workers: 1, capacity: 9 });
    expect(body.peakRssBytes).toBeGreaterThanOrEqual(body.rssBytes * 0.5);

    const models = (await get<ModelsResponse>(studio.url, '/api/models')).body;
    expect(models.tasks.map((task) => task.task)).toEqual([
      'translate',
      'summarize',
      'answer',
      'chat',
      'detect',
      'segment',
      'transcribe',
    ]);
    const translate = models.tasks[0]!;
    expect(translate).toMatchObject({ input: 'json', defaultModel: 'attn/mt-en-de' });
    expect(translate.models).toEqual([
      { id: 'attn/mt-en-de', available: true },
      { id: 'tiny-marian', available: true },
    ]);
    expect(models.tasks[1]!.models[1]).toEqual({
      id: 'attn/not-trained-yet',
      available: false,
      reason:
        'attn/not-trained-yet is not installed: train it with tools/model-zoo, or start the studio with --model summarize=<model folder>',
    });
    expect(models.limits).toEqual({ maxUploadBytes: 64 * 1024, maxJsonBytes: 256 * 1024 });

    const missing = await post<ErrorResponse>(studio.url, '/api/summarize', {
      text: 'A dog runs.',
      model: 'attn/not-trained-yet',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('MODEL_NOT_FOUND');
    expect(missing.body.error.message).toMatch(/not-trained-yet is not installed/);
  });

  it('translates with attn/mt-en-de exactly as translate() does, with its cross-attention', async () => {
    const text = 'A dog runs on the beach.';
    const { status, body } = await post<TranslateResult>(studio.url, '/api/translate', { text });
    expect(status).toBe(200);
    const { translate, disposeTextModels } = await import('@attn/nlp');
    const reference = await translate(text, { model: 'attn/mt-en-de' });
    await disposeTextModels();
    expect(body).toMatchObject({
      task: 'translate',
      model: 'attn/mt-en-de',
      text: reference.text,
      sourceTokens: reference.sourceTokens,
      targetTokens: reference.targetTokens,
      targetWords: reference.targetWords,
    });
    expect(body.alignment.map(({ source, target }) => [source, target])).toEqual(
      reference.alignment.map(({ source, target }) => [source, target]),
    );
    const attention = body.attention!;
    expect(attention.dims).toEqual([...reference.attention!.dims]);
    // rounded to 4 decimals on the wire, each weight is within 5e-5 of the pipeline's
    attention.data.forEach((weight, index) =>
      expect(Math.abs(weight - reference.attention!.data[index]!)).toBeLessThanOrEqual(5e-5),
    );
  });

  it('runs every other task on its fixture model', async () => {
    const detect = await post<DetectResult>(
      studio.url,
      '/api/detect?threshold=0',
      png,
      'image/png',
    );
    expect(detect.status).toBe(200);
    expect(detect.body).toMatchObject({ width: 80, height: 64, model: 'tiny-detr' });
    const cells = detect.body.grid.rows * detect.body.grid.cols;
    expect(detect.body.objects.length).toBeGreaterThan(0);
    for (const object of detect.body.objects) {
      expect(object.attention).toHaveLength(cells);
      expect(object.box.x0).toBeGreaterThanOrEqual(0);
      expect(object.box.x1).toBeLessThanOrEqual(80);
    }

    const mean = await post<SegmentResult>(studio.url, '/api/segment', png, 'image/png');
    const rollout = await post<SegmentResult>(
      studio.url,
      '/api/segment?combine=rollout',
      png,
      'image/png',
    );
    expect([mean.status, rollout.status]).toEqual([200, 200]);
    expect(mean.body.grid).toEqual({ rows: 4, cols: 4 });
    expect(mean.body.headMaps).toHaveLength(4);
    expect(new Set(mean.body.mask)).toEqual(new Set([0, 1]));
    // the mean map is the mean of the head maps; rollout is another map of the same grid
    mean.body.combinedMap.forEach((value, patch) => {
      const heads = mean.body.headMaps.map((map) => map[patch]!);
      expect(value).toBeCloseTo(heads.reduce((sum, weight) => sum + weight, 0) / heads.length, 3);
    });
    expect(rollout.body.combine).toBe('rollout');
    expect(rollout.body.combinedMap).not.toEqual(mean.body.combinedMap);

    const transcribe = await post<TranscribeResult>(
      studio.url,
      '/api/transcribe',
      toneWav(1),
      'audio/wav',
    );
    expect(transcribe.status).toBe(200);
    expect(transcribe.body.durationSeconds).toBe(1);
    for (const word of transcribe.body.words) {
      expect(word.start).toBeLessThanOrEqual(word.end);
      expect(word.end).toBeLessThanOrEqual(1);
    }
    const alignment = transcribe.body.alignment!;
    expect(alignment.data).toHaveLength(alignment.tokens.length * alignment.frames);
    expect(alignment.frames).toBe(50); // 1 s at 20 ms per frame

    const context = 'A brown dog catches a frisbee in the park.';
    const answer = await post<AnswerResult>(studio.url, '/api/answer', {
      question: 'What does the dog catch?',
      context,
    });
    expect(answer.status).toBe(200);
    expect(context.slice(answer.body.start, answer.body.end)).toBe(answer.body.answer);

    const chat = await post<ChatResult>(studio.url, '/api/chat', {
      messages: [
        { role: 'user', content: 'Hello there.' },
        { role: 'assistant', content: 'Hi!' },
        { role: 'user', content: 'How are you?' },
      ],
    });
    expect(chat.status).toBe(200);
    const shares = chat.body.turnAttention.map((turn) => turn.weight);
    expect(shares.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 5);

    const summary = await post<SummarizeResult>(studio.url, '/api/summarize', {
      text: 'A man rides a bike. A dog runs after him.',
      maxNewTokens: 8,
    });
    expect(summary.status).toBe(200);
    expect(summary.body.summaryTokens.length).toBeLessThanOrEqual(8);
    expect(summary.body.source).toBe('A man rides a bike. A dog runs after him.');
  });

  it('answers bad input through every surface with a 4xx that says what was wrong', async () => {
    const json = (value: unknown): [string, unknown, string] => [
      '/api/translate',
      value,
      'application/json',
    ];
    const cases: [
      path: string,
      body: unknown,
      contentType: string,
      status: number,
      code: string,
      message: RegExp,
    ][] = [
      [
        '/api/detect',
        'not an image',
        'text/plain',
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /POST \/api\/detect takes an image file .* got 'text\/plain'/,
      ],
      ['/api/transcribe', png, 'image/png', 415, 'UNSUPPORTED_MEDIA_TYPE', /takes a WAV file/],
      [
        '/api/translate',
        'A dog.',
        'text/plain',
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /takes a JSON object/,
      ],
      [
        '/api/detect',
        toneWav(0.1),
        'image/png',
        400,
        'INPUT_FORMAT',
        /detect\(\): the uploaded file is not an image .* starts with 'RIFF/,
      ],
      [
        '/api/detect',
        png.subarray(0, 100),
        'image/png',
        400,
        'INPUT_FORMAT',
        /^loadImage\(\): cannot decode the 100-byte input/,
      ],
      [
        '/api/segment',
        new Uint8Array(0),
        'image/png',
        400,
        'INVALID_ARGUMENT',
        /the uploaded file must be a non-empty file/,
      ],
      ['/api/transcribe', 'ID3 this is an mp3', 'audio/wav', 400, 'INPUT_FORMAT', /not a WAV file/],
      ['/api/transcribe', toneWav(0).subarray(0, 30), 'audio/wav', 400, 'INPUT_FORMAT', /WAV/],
      [
        '/api/detect',
        toneWav(3),
        'image/png',
        413,
        'PAYLOAD_TOO_LARGE',
        /larger than the server's limit of 64 KiB/,
      ],
      [
        '/api/detect?threshold=2',
        png,
        'image/png',
        400,
        'INVALID_ARGUMENT',
        /threshold must be a number in \[0, 1\], got '2'/,
      ],
      [
        '/api/segment?combine=max',
        png,
        'image/png',
        400,
        'INVALID_ARGUMENT',
        /combine must be 'mean' or 'rollout'/,
      ],
      [
        '/api/detect?model=tiny-vit',
        png,
        'image/png',
        404,
        'MODEL_NOT_FOUND',
        /detect has no model 'tiny-vit'.*pick one of tiny-detr/,
      ],
      [...json('{"text": "unterminated'), 400, 'INVALID_ARGUMENT', /the body must be JSON/],
      [...json(['A dog.']), 400, 'INVALID_ARGUMENT', /the body must be a JSON object/],
      [
        ...json({ text: '' }),
        400,
        'INVALID_ARGUMENT',
        /^translate\(\): text must be a non-empty string/,
      ],
      [...json({ text: 'x'.repeat(10_001) }), 400, 'INVALID_ARGUMENT', /at most 10000 characters/],
      [
        ...json({ text: 'A dog.', numBeams: 99 }),
        400,
        'INVALID_ARGUMENT',
        /numBeams must be an integer in \[1, 8\], got 99/,
      ],
      [
        ...json({ text: 'A dog.', model: 7 }),
        400,
        'INVALID_ARGUMENT',
        /model must be a model id, got 7/,
      ],
      [
        '/api/chat',
        { messages: [{ role: 'robot', content: 'hi' }] },
        'application/json',
        400,
        'INVALID_ARGUMENT',
        /messages\[0\]\.role must be 'user', 'assistant' or 'system'/,
      ],
      [
        '/api/answer',
        { question: 'Who?' },
        'application/json',
        400,
        'INVALID_ARGUMENT',
        /context must be a non-empty string/,
      ],
      ['/api/classify', {}, 'application/json', 404, 'NOT_FOUND', /no API route \/api\/classify/],
    ];
    for (const [path, body, contentType, status, code, message] of cases) {
      const answer = await post<ErrorResponse>(studio.url, path, body, contentType);
      expect({ path, status: answer.status, code: answer.body.error.code }).toEqual({
        path,
        status,
        code,
      });
      expect(answer.body.error.message).toMatch(message);
      expect(answer.body.error.status).toBe(status);
    }

    // a body streamed without Content-Length is cut off at the limit as well
    const streamed = await fetch(`${studio.url}/api/detect`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new ReadableStream({
        start(controller) {
          for (let chunk = 0; chunk < 8; chunk++) controller.enqueue(new Uint8Array(16 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);

    const wrongMethod = await fetch(`${studio.url}/api/translate`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await fetch(`${studio.url}/api/health`, { method: 'DELETE' })).status).toBe(405);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 is refused
    expect(await rawGet(studio.url, '/api/health', 'evil.example:80')).toBe(403);
    expect(await rawGet(studio.url, '/api/health', `localhost:${studio.port}`)).toBe(200);
  });

  it('serves the built UI and nothing outside it', async () => {
    const index = await fetch(`${studio.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await index.text()).toBe('<!doctype html><title>studio</title>');
    const asset = await fetch(`${studio.url}/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    for (const path of ['/missing.js', '/../package.json', '/%2e%2e/package.json', '/%E0%A4%A']) {
      const answer = await fetch(`${studio.url}${path}`);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
    }
  });

  it('keeps serving after all of that', async () => {
    expect((await health(studio.url)).running).toBe(0);
    const { status, body } = await post<TranslateResult>(studio.url, '/api/translate', {
      text: 'Two dogs play.',
      model: 'tiny-marian',
    });
    expect(status).toBe(200);
    expect(body.model).toBe('tiny-marian');
  });
});

describe('the studio under load', () => {
  let studio: StudioServer;

  beforeAll(async () => {
    studio = await startFixtureStudio({ maxQueued: 1, uiRoot: '/nonexistent/attn-studio-ui' });
  });
  afterAll(() => studio?.close());

  it('answers health during a job, refuses past its queue with 429, and cancels jobs whose client left', async () => {
    const translate = (signal: AbortSignal): Promise<unknown> =>
      post(
        studio.url,
        '/api/translate',
        { text: longText, numBeams: 8 },
        'application/json',
        signal,
      ).catch((error: unknown) => error);
    const first = new AbortController();
    const second = new AbortController();
    const running = translate(first.signal);
    await waitFor(async () => (await health(studio.url)).running === 1, 'the first job to run');
    // the worker is busy (starting, loading the model, translating) and the event loop still answers
    const during = await health(studio.url);
    expect(during).toMatchObject({ running: 1, queued: 0 });
    const queued = translate(second.signal);
    await waitFor(async () => (await health(studio.url)).queued === 1, 'the second job to queue');

    const refused = await post<ErrorResponse>(studio.url, '/api/translate', { text: 'A dog.' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('QUEUE_FULL');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    second.abort();
    await waitFor(async () => (await health(studio.url)).queued === 0, 'the queued job to leave');
    first.abort();
    await waitFor(async () => (await health(studio.url)).running === 0, 'the running job to stop');
    await Promise.all([running, queued]);

    const after = await post<TranslateResult>(studio.url, '/api/translate', {
      text: 'A dog runs.',
    });
    expect(after.status).toBe(200);
  });

  it('says how to build the UI when it is missing', async () => {
    const answer = await fetch(`${studio.url}/`);
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as ErrorResponse).error.message).toMatch(
      /UI is not built.*vite build/,
    );
  });
});

describe('the studio’s time limit', () => {
  it('answers 504 for a job past it, and keeps serving', async () => {
    // a fresh worker has to start and load the model first: far longer than 100 ms
    const studio = await startFixtureStudio({ jobTimeoutMs: 100 });
    try {
      const late = await post<ErrorResponse>(studio.url, '/api/translate', { text: longText });
      expect(late.status).toBe(504);
      expect(late.body.error.message).toMatch(/^the job ran past the studio's limit of 0.1 s/);
      expect((await get(studio.url, '/api/health')).status).toBe(200);
      await waitFor(
        async () => (await health(studio.url)).running === 0,
        'the worker to stop the job',
      );
    } finally {
      await studio.close();
    }
  });
});
