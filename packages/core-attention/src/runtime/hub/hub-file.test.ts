import { createHash } from 'node:crypto';
import {
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHubServer, type HubServer } from '../../testing/hub-server.js';
import { seededRandom } from '../../testing/random.js';
import { hubFile } from './hub-file.js';
import type { DownloadProgress, HubOptions } from './hub-options.js';

// `git hash-object` of config below: the ETag the hub serves for a small (non-LFS) file.
const config = '{"model_type":"bert"}\n';
const configGitSha1 = 'cc8a6b41c02264f7110eed9d6cac93bc973dcf7b';
const mainCommit = '0123456789abcdef0123456789abcdef01234567';
const v1Commit = '89abcdef0123456789abcdef0123456789abcdef';
const random = seededRandom(7);
const model = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
const modelSha256 = createHash('sha256').update(model).digest('hex');
const repoDir = (cacheDir: string): string => join(cacheDir, 'models--org--tiny');

/** Every file and link under `folder`, as sorted relative paths. */
async function listTree(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
    .sort();
}

const noNetwork: typeof fetch = () => Promise.reject(new Error('the test forbids network access'));

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
        revisions: {
          v1: { commit: v1Commit, files: { 'config.json': '{"model_type":"gpt2"}\n' } },
          'refs/pr/1': { files: { 'config.json': '{"model_type":"vit"}\n' } },
        },
      },
    },
  });
  options = { endpoint: hub.endpoint, cacheDir, offline: false };
});

afterEach(async () => {
  await hub.close();
  await rm(cacheDir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

describe('hubFile: downloads and the cache layout', () => {
  it('downloads cold into the huggingface_hub layout: blobs, relative snapshot links, refs/main', async () => {
    const configPath = await hubFile('org/tiny', 'config.json', options);
    const modelPath = await hubFile('org/tiny', 'onnx/model.onnx', options);

    expect(configPath).toBe(join(repoDir(cacheDir), 'snapshots', mainCommit, 'config.json'));
    expect(modelPath).toBe(join(repoDir(cacheDir), 'snapshots', mainCommit, 'onnx', 'model.onnx'));
    expect(await readFile(configPath, 'utf8')).toBe(config);
    expect((await readFile(modelPath)).equals(model)).toBe(true);
    expect(await readlink(configPath)).toBe(`../../blobs/${configGitSha1}`);
    expect(await readlink(modelPath)).toBe(`../../../blobs/${modelSha256}`);
    expect(await readFile(join(repoDir(cacheDir), 'refs', 'main'), 'utf8')).toBe(mainCommit);
    expect(await listTree(repoDir(cacheDir))).toEqual(
      [
        `blobs/${configGitSha1}`,
        `blobs/${modelSha256}`,
        'refs/main',
        `snapshots/${mainCommit}/config.json`,
        `snapshots/${mainCommit}/onnx/model.onnx`,
      ].sort(),
    );
    // the LFS file: HEAD stops at the 302 (X-Linked-Etag), the content comes from the CDN path
    expect(hub.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'HEAD /org/tiny/resolve/main/config.json',
      'GET /org/tiny/resolve/main/config.json',
      'HEAD /org/tiny/resolve/main/onnx/model.onnx',
      `GET /cdn/${modelSha256}`,
    ]);
  });

  it('on a warm cache asks the hub for the current commit (one HEAD) but never GETs the content again', async () => {
    await hubFile('org/tiny', 'onnx/model.onnx', options);
    hub.requests.length = 0;
    const path = await hubFile('org/tiny', 'onnx/model.onnx', options);
    expect((await readFile(path)).equals(model)).toBe(true);
    expect(hub.requests.map((request) => request.method)).toEqual(['HEAD']);
  });

  it('links a blob already in the cache under a new snapshot without downloading it', async () => {
    // a snapshot folder lost (or a new commit with the same content): the blob is reused
    await hubFile('org/tiny', 'onnx/model.onnx', options);
    await rm(join(repoDir(cacheDir), 'snapshots'), { recursive: true });
    hub.requests.length = 0;
    const path = await hubFile('org/tiny', 'onnx/model.onnx', options);
    expect((await readFile(path)).equals(model)).toBe(true);
    expect(hub.requests.map((request) => request.method)).toEqual(['HEAD']);
  });

  it('offline, serves a cached file with zero requests', async () => {
    const online = await hubFile('org/tiny', 'config.json', options);
    hub.requests.length = 0;
    const offline = await hubFile('org/tiny', 'config.json', {
      ...options,
      offline: true,
      fetch: noNetwork,
    });
    expect(offline).toBe(online);
    vi.stubEnv('HF_HUB_OFFLINE', '1');
    expect(
      await hubFile('org/tiny', 'config.json', {
        endpoint: hub.endpoint,
        cacheDir,
        fetch: noNetwork,
      }),
    ).toBe(online);
    expect(hub.requests).toEqual([]);
  });

  it('offline, fails on a miss with OFFLINE naming the file, the revision and the fix', async () => {
    await hubFile('org/tiny', 'config.json', options);
    const miss = hubFile('org/tiny', 'onnx/model.onnx', {
      ...options,
      offline: true,
      fetch: noNetwork,
    });
    await expect(miss).rejects.toMatchObject({ code: 'OFFLINE' });
    await expect(miss).rejects.toThrow(
      /'onnx\/model\.onnx' of 'org\/tiny' at revision 'main' is not in the cache.*HF_HOME/,
    );
    const otherRevision = hubFile('org/tiny', 'config.json', {
      ...options,
      revision: 'v1',
      offline: true,
      fetch: noNetwork,
    });
    await expect(otherRevision).rejects.toThrow(/at revision 'v1'/);
  });

  it('resolves another branch, writes refs/<branch>, and URL-encodes a revision with slashes', async () => {
    const v1 = await hubFile('org/tiny', 'config.json', { ...options, revision: 'v1' });
    expect(await readFile(v1, 'utf8')).toBe('{"model_type":"gpt2"}\n');
    expect(v1).toBe(join(repoDir(cacheDir), 'snapshots', v1Commit, 'config.json'));
    expect(await readFile(join(repoDir(cacheDir), 'refs', 'v1'), 'utf8')).toBe(v1Commit);

    const pr = await hubFile('org/tiny', 'config.json', { ...options, revision: 'refs/pr/1' });
    expect(await readFile(pr, 'utf8')).toBe('{"model_type":"vit"}\n');
    expect(hub.requests.at(-1)?.path).toBe('/org/tiny/resolve/refs%2Fpr%2F1/config.json');
    const prCommit = await readFile(join(repoDir(cacheDir), 'refs', 'refs', 'pr', '1'), 'utf8');
    expect(pr).toBe(join(repoDir(cacheDir), 'snapshots', prCommit, 'config.json'));
  });

  it('needs no request at all for a commit sha revision that is cached, and writes no ref for it', async () => {
    const path = await hubFile('org/tiny', 'config.json', { ...options, revision: v1Commit });
    expect(await readFile(path, 'utf8')).toBe('{"model_type":"gpt2"}\n');
    expect(await listTree(join(repoDir(cacheDir), 'refs')).catch(() => [])).toEqual([]);
    expect(
      await hubFile('org/tiny', 'config.json', {
        ...options,
        revision: v1Commit,
        fetch: noNetwork,
      }),
    ).toBe(path);
  });

  it('reports progress monotonically, ending at the total', async () => {
    const events: DownloadProgress[] = [];
    hub.faults.truncateNext('onnx/model.onnx'); // a resumed transfer must not move the bar backwards
    await hubFile('org/tiny', 'onnx/model.onnx', {
      ...options,
      onProgress: (event) => events.push(event),
    });
    expect(events.length).toBeGreaterThan(1);
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
    expect(events.at(-1)).toEqual({ file: 'onnx/model.onnx', loaded: 4096, total: 4096 });
  });

  it('downloads a blob once when several callers ask for it at the same time', async () => {
    const paths = await Promise.all(
      [1, 2, 3].map(() => hubFile('org/tiny', 'onnx/model.onnx', options)),
    );
    expect(new Set(paths).size).toBe(1);
    expect(hub.requests.filter((request) => request.path.startsWith('/cdn/'))).toHaveLength(1);
  });

  it('strips a weak W/"…" ETag to name the blob', async () => {
    const weakening: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      const etag = headers.get('etag');
      if (etag !== null) headers.set('etag', `W/${etag}`);
      return new Response(response.body, { status: response.status, headers });
    };
    const path = await hubFile('org/tiny', 'config.json', { ...options, fetch: weakening });
    expect(await readlink(path)).toBe(`../../blobs/${configGitSha1}`);
  });

  it('uses a cache that Python filled (built here by hand, no server) offline', async () => {
    const pythonCache = await mkdtemp(join(tmpdir(), 'attn-hub-python-'));
    try {
      const repo = join(pythonCache, 'models--Helsinki-NLP--opus-mt-en-de');
      const commit = 'fedcba9876543210fedcba9876543210fedcba98';
      await mkdir(join(repo, 'blobs'), { recursive: true });
      await mkdir(join(repo, 'refs'));
      await mkdir(join(repo, 'snapshots', commit, 'onnx'), { recursive: true });
      await writeFile(join(repo, 'blobs', modelSha256), model);
      await writeFile(join(repo, 'refs', 'main'), commit);
      await symlink(
        `../../../blobs/${modelSha256}`,
        join(repo, 'snapshots', commit, 'onnx', 'encoder_model.onnx'),
      );
      const path = await hubFile('Helsinki-NLP/opus-mt-en-de', 'onnx/encoder_model.onnx', {
        cacheDir: pythonCache,
        offline: true,
        fetch: noNetwork,
      });
      expect(path).toBe(join(repo, 'snapshots', commit, 'onnx', 'encoder_model.onnx'));
      expect((await readFile(path)).equals(model)).toBe(true);
    } finally {
      await rm(pythonCache, { recursive: true, force: true });
    }
  });
});
