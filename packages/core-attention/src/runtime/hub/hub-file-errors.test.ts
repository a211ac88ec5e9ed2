import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHubServer, type HubServer } from '../../testing/hub-server.js';
import { seededRandom } from '../../testing/random.js';
import { hubFile } from './hub-file.js';
import type { HubOptions } from './hub-options.js';

const config = '{"model_type":"bert"}\n';
const mainCommit = '0123456789abcdef0123456789abcdef01234567';
const random = seededRandom(11);
const model = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
const modelSha256 = createHash('sha256').update(model).digest('hex');
const repoDir = (cacheDir: string): string => join(cacheDir, 'models--org--tiny');

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );
const blobNames = (cacheDir: string): Promise<string[]> =>
  readdir(join(repoDir(cacheDir), 'blobs')).catch(() => []);
const contentRequests = (hub: HubServer): string[] =>
  hub.requests
    .filter((request) => request.method === 'GET')
    .map((request) => request.headers.range ?? 'whole');

let cacheDir: string;
let hub: HubServer;
let options: HubOptions;

beforeEach(async () => {
  vi.stubEnv('HF_TOKEN', '');
  vi.stubEnv('HF_HUB_OFFLINE', '');
  cacheDir = await mkdtemp(join(tmpdir(), 'attn-hub-'));
  hub = await startHubServer({
    repos: {
      'org/tiny': {
        commit: mainCommit,
        files: { 'config.json': config, 'onnx/model.onnx': model },
      },
      'org/secret': { private: true, files: { 'config.json': config } },
      'org/gated': { gated: true, files: { 'config.json': config } },
    },
  });
  options = { endpoint: hub.endpoint, cacheDir, offline: false };
});

afterEach(async () => {
  await hub.close();
  await rm(cacheDir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

describe('hubFile: broken transfers', () => {
  it('resumes a truncated transfer with a Range request and ends with the right content', async () => {
    hub.faults.truncateNext('onnx/model.onnx');
    const path = await hubFile('org/tiny', 'onnx/model.onnx', options);
    // the server sent 2048 of 4096 bytes, then dropped the connection
    expect(contentRequests(hub)).toEqual(['whole', 'bytes=2048-']);
    expect((await readFile(path)).equals(model)).toBe(true);
    expect(await blobNames(cacheDir)).toEqual([modelSha256]);
  });

  it('resumes a stalled transfer once timeoutMs passes without bytes', async () => {
    hub.faults.stallNext('onnx/model.onnx');
    const path = await hubFile('org/tiny', 'onnx/model.onnx', { ...options, timeoutMs: 150 });
    expect(contentRequests(hub)).toEqual(['whole', 'bytes=2048-']);
    expect((await readFile(path)).equals(model)).toBe(true);
  });

  it('on abort mid-download throws ABORTED, leaves no file at a final path, and the next call resumes', async () => {
    hub.faults.stallNext('onnx/model.onnx');
    const controller = new AbortController();
    const aborted = hubFile('org/tiny', 'onnx/model.onnx', {
      ...options,
      signal: controller.signal,
      onProgress: (event) => event.loaded > 0 && controller.abort(),
    });
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await exists(join(repoDir(cacheDir), 'blobs', modelSha256))).toBe(false);
    expect(
      await exists(join(repoDir(cacheDir), 'snapshots', mainCommit, 'onnx', 'model.onnx')),
    ).toBe(false);
    expect(await blobNames(cacheDir)).toEqual([`${modelSha256}.incomplete`]);
    const kept = (await stat(join(repoDir(cacheDir), 'blobs', `${modelSha256}.incomplete`))).size;
    expect(kept).toBeGreaterThan(0);

    const path = await hubFile('org/tiny', 'onnx/model.onnx', options);
    expect(contentRequests(hub)).toEqual(['whole', `bytes=${kept}-`]);
    expect((await readFile(path)).equals(model)).toBe(true);
  });

  it('detects corrupted LFS content (sha256) with INTEGRITY and leaves nothing in blobs or snapshots', async () => {
    hub.faults.corruptNext('onnx/model.onnx');
    const corrupt = hubFile('org/tiny', 'onnx/model.onnx', options);
    await expect(corrupt).rejects.toMatchObject({ code: 'INTEGRITY' });
    await expect(corrupt).rejects.toThrow(
      /'onnx\/model\.onnx' of 'org\/tiny'.*sha256 [0-9a-f]{64} does not match the ETag/,
    );
    expect(await blobNames(cacheDir)).toEqual([]);
    expect(await exists(join(repoDir(cacheDir), 'snapshots'))).toBe(false);
    expect(
      (await readFile(await hubFile('org/tiny', 'onnx/model.onnx', options))).equals(model),
    ).toBe(true);
  });

  it('detects corrupted small files by their git blob sha1', async () => {
    hub.faults.corruptNext('config.json');
    await expect(hubFile('org/tiny', 'config.json', options)).rejects.toThrow(
      /git blob sha1 [0-9a-f]{40} does not match/,
    );
    expect(await blobNames(cacheDir)).toEqual([]);
  });
});

describe('hubFile: hub errors', () => {
  it('names a missing repository (404 RepoNotFound → MODEL_NOT_FOUND)', async () => {
    const missing = hubFile('org/missing', 'config.json', options);
    await expect(missing).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    await expect(missing).rejects.toThrow(
      /no repository 'org\/missing' at http:\/\/127\.0\.0\.1:\d+ \(404 RepoNotFound/,
    );
  });

  it('names a missing file (404 EntryNotFound → FILE_NOT_FOUND) and remembers it in .no_exist for offline use', async () => {
    const missing = hubFile('org/tiny', 'tokenizer.json', options);
    await expect(missing).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await expect(missing).rejects.toThrow(
      /'tokenizer\.json' of 'org\/tiny' at revision 'main' does not exist/,
    );
    expect(await exists(join(repoDir(cacheDir), '.no_exist', mainCommit, 'tokenizer.json'))).toBe(
      true,
    );
    const offline = hubFile('org/tiny', 'tokenizer.json', { ...options, offline: true });
    await expect(offline).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('names a missing revision (404 RevisionNotFound → MODEL_NOT_FOUND)', async () => {
    await expect(
      hubFile('org/tiny', 'config.json', { ...options, revision: 'v9' }),
    ).rejects.toThrow(/'org\/tiny' has no revision 'v9'/);
  });

  it('treats a private repository without a token as not found, and opens it with the token', async () => {
    const anonymous = hubFile('org/secret', 'config.json', options);
    await expect(anonymous).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    await expect(anonymous).rejects.toThrow(
      /401 RepoNotFound.*private or gated and no token was sent.*HF_TOKEN/,
    );

    const path = await hubFile('org/secret', 'config.json', { ...options, token: hub.token });
    expect(await readFile(path, 'utf8')).toBe(config);
    expect(hub.requests.at(-1)?.headers.authorization).toBe(`Bearer ${hub.token}`);

    vi.stubEnv('HF_TOKEN', hub.token);
    await expect(hubFile('org/secret', 'config.json', options)).resolves.toBe(path);
  });

  it('refuses a bad token and a gated repository without one with UNAUTHORIZED', async () => {
    const badToken = hubFile('org/secret', 'config.json', { ...options, token: 'hf_wrong' });
    await expect(badToken).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(badToken).rejects.toThrow(/Invalid credentials.*the token is invalid or expired/);
    const gated = hubFile('org/gated', 'config.json', options);
    await expect(gated).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(gated).rejects.toThrow(
      /401 GatedRepo.*accept the conditions at http:\/\/127\.0\.0\.1:\d+\/org\/gated/,
    );
  });

  it('turns a 500 into NETWORK without retrying, and serves a cached copy when the hub fails later', async () => {
    hub.faults.fail500Next('config.json');
    const failing = hubFile('org/tiny', 'config.json', options);
    await expect(failing).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(failing).rejects.toThrow(
      /http:\/\/127\.0\.0\.1:\d+ answered \(500: injected failure\)/,
    );
    expect(hub.requests).toHaveLength(1);

    const path = await hubFile('org/tiny', 'config.json', options);
    hub.faults.fail500Next('config.json');
    expect(await hubFile('org/tiny', 'config.json', options)).toBe(path);
  });

  it('names the endpoint and the cause when the hub is unreachable, and falls back to the cache', async () => {
    const path = await hubFile('org/tiny', 'config.json', options);
    await hub.close();
    expect(await hubFile('org/tiny', 'config.json', options)).toBe(path);
    const uncached = hubFile('org/tiny', 'onnx/model.onnx', options);
    await expect(uncached).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(uncached).rejects.toThrow(
      /could not reach http:\/\/127\.0\.0\.1:\d+ .*ECONNREFUSED.*HF_HUB_OFFLINE=1/,
    );
  });
});

describe('hubFile: arguments', () => {
  it.each([
    ['../etc', 'config.json', 'main', 'repoId'],
    ['org/../x', 'config.json', 'main', 'repoId'],
    ['a/b/c', 'config.json', 'main', 'repoId'],
    ['', 'config.json', 'main', 'repoId'],
    ['org/tiny', '../../../etc/passwd', 'main', 'path'],
    ['org/tiny', '/etc/passwd', 'main', 'path'],
    ['org/tiny', 'onnx//model.onnx', 'main', 'path'],
    ['org/tiny', 'onnx\\..\\x', 'main', 'path'],
    ['org/tiny', 'config.json', '../main', 'revision'],
    ['org/tiny', 'config.json', 'main/../../x', 'revision'],
    ['org/tiny', 'config.json', '/main', 'revision'],
  ])(
    'refuses repoId %j, path %j, revision %j before any request',
    async (repoId, path, revision, argument) => {
      const refused = hubFile(repoId, path, { ...options, revision });
      await expect(refused).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(refused).rejects.toThrow(`hubFile(): ${argument} must be`);
      expect(hub.requests).toEqual([]);
    },
  );
});
