// A loopback HTTP server that serves repositories the way the Hugging Face Hub does, for tests of
// the hub client: resolve URLs, 302 to a CDN path for LFS files with X-Linked-Etag / X-Linked-Size,
// ETags (sha256 for LFS, git blob sha1 otherwise), X-Repo-Commit, Range, X-Error-Code errors, and faults.
import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** File contents by path inside the repository, e.g. `{ 'onnx/model.onnx': buffer }`. */
export type HubServerFiles = Record<string, Buffer | string>;

/** One repository: its `main` files and, optionally, other branches or tags. */
export interface HubServerRepo {
  files: HubServerFiles;
  /** Commit sha of `main`. Default: a sha1 derived from the id. */
  commit?: string;
  /** Answer 401 RepoNotFound without the server's token, as the hub does for private repositories. */
  private?: boolean;
  /** Answer 401 GatedRepo without the server's token. */
  gated?: boolean;
  /** Other revisions by name (a branch such as `v1` or `refs/pr/1`), each with its own files and commit. */
  revisions?: Record<string, { files: HubServerFiles; commit?: string }>;
}

export interface HubServerOptions {
  /** Repositories by id, `org/name` or `name`. */
  repos: Record<string, HubServerRepo>;
  /** Files larger than this many bytes are served as LFS files (302 to `/cdn/<sha256>`). Default 1024. */
  lfsThreshold?: number;
  /** The token that opens private and gated repositories. Default `'hf_test_token'`. */
  token?: string;
}

/** One request the server received. */
export interface HubServerRequest {
  method: string;
  /** The raw request path, e.g. `/org/name/resolve/main/config.json` or `/cdn/<sha256>`. */
  path: string;
  headers: IncomingHttpHeaders;
}

/** One-shot faults, each for the next matching request of a file path inside a repository. */
export interface HubServerFaults {
  /** The next content GET sends half of its body, then drops the connection. */
  truncateNext(path: string): void;
  /** The next request of any kind (HEAD included) answers 500. */
  fail500Next(path: string): void;
  /** The next content GET has one byte flipped in the middle of its body. */
  corruptNext(path: string): void;
  /** The next content GET sends half of its body, then hangs until the client gives up or the server closes. */
  stallNext(path: string): void;
}

export interface HubServer {
  /** `http://127.0.0.1:<port>`, for `HubOptions.endpoint`. */
  endpoint: string;
  /** The token private and gated repositories accept. */
  token: string;
  /** Every request received, in order. */
  requests: HubServerRequest[];
  faults: HubServerFaults;
  close(): Promise<void>;
}

interface ServedFile {
  content: Buffer;
  sha256: string;
  gitSha1: string;
  lfs: boolean;
}

type Fault = 'truncate' | 'fail500' | 'corrupt' | 'stall';

/**
 * Starts the server on 127.0.0.1 at a free port; close it when the test ends.
 *
 * @example
 * ```ts
 * const hub = await startHubServer({ repos: { 'org/tiny': { files: { 'config.json': '{"model_type":"bert"}' } } } });
 * const path = await hubFile('org/tiny', 'config.json', { endpoint: hub.endpoint, cacheDir });
 * await hub.close();
 * ```
 * @throws {Error} when the port cannot be bound.
 */
export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const lfsThreshold = options.lfsThreshold ?? 1024;
  const token = options.token ?? 'hf_test_token';
  const requests: HubServerRequest[] = [];
  const pending: { fault: Fault; path: string }[] = [];
  const cdn = new Map<string, { file: ServedFile; paths: Set<string> }>();
  const served = (content: Buffer | string, path: string): ServedFile => {
    const file = describeFile(
      typeof content === 'string' ? Buffer.from(content) : content,
      lfsThreshold,
    );
    if (file.lfs) {
      const entry = cdn.get(file.sha256) ?? { file, paths: new Set<string>() };
      entry.paths.add(path);
      cdn.set(file.sha256, entry);
    }
    return file;
  };
  const repos = new Map<
    string,
    {
      repo: HubServerRepo;
      revisions: Map<string, { commit: string; files: Map<string, ServedFile> }>;
    }
  >();
  for (const [repoId, repo] of Object.entries(options.repos)) {
    const revisions = new Map<string, { commit: string; files: Map<string, ServedFile> }>();
    const all = { main: { files: repo.files, commit: repo.commit }, ...repo.revisions };
    for (const [name, revision] of Object.entries(all)) {
      const files = new Map(
        Object.entries(revision.files).map(
          ([path, content]) => [path, served(content, path)] as const,
        ),
      );
      revisions.set(name, { commit: revision.commit ?? sha1(`${repoId}@${name}`), files });
    }
    repos.set(repoId, { repo, revisions });
  }

  const takeFault = (fault: Fault, paths: Iterable<string>): boolean => {
    const wanted = new Set(paths);
    const index = pending.findIndex((entry) => entry.fault === fault && wanted.has(entry.path));
    if (index >= 0) pending.splice(index, 1);
    return index >= 0;
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = request.url ?? '/';
    requests.push({ method: request.method ?? 'GET', path: url, headers: request.headers });
    const segments = url.split('?')[0]!.split('/').slice(1).map(decodeURIComponent);
    if (segments[0] === 'cdn' && segments.length === 2) {
      const entry = cdn.get(segments[1]!);
      if (entry === undefined) return answerError(response, 404, 'EntryNotFound', 'no such object');
      if (takeFault('fail500', entry.paths))
        return answerError(response, 500, undefined, 'injected failure');
      return sendContent(
        request,
        response,
        entry.file.content,
        { ETag: `"${entry.file.sha256}"` },
        (fault) => takeFault(fault, entry.paths),
      );
    }
    const at = segments[2] === 'resolve' ? 2 : segments[1] === 'resolve' ? 1 : -1;
    if (at < 0 || segments.length < at + 3)
      return answerError(response, 404, undefined, 'not a resolve URL');
    const repoId = segments.slice(0, at).join('/');
    const revisionName = segments[at + 1]!;
    const path = segments.slice(at + 2).join('/');
    const found = repos.get(repoId);
    if (found === undefined)
      return answerError(response, 404, 'RepoNotFound', 'Repository not found');
    const authorization = request.headers.authorization;
    if (authorization !== undefined && authorization !== `Bearer ${token}`) {
      return answerError(response, 401, undefined, 'Invalid credentials in Authorization header');
    }
    if (authorization === undefined && found.repo.private === true)
      return answerError(response, 401, 'RepoNotFound', 'Repository not found');
    if (authorization === undefined && found.repo.gated === true)
      return answerError(response, 401, 'GatedRepo', 'Access to this model is restricted');
    const revision =
      found.revisions.get(revisionName) ??
      [...found.revisions.values()].find((candidate) => candidate.commit === revisionName);
    if (revision === undefined)
      return answerError(response, 404, 'RevisionNotFound', `Invalid rev id: ${revisionName}`);
    const commitHeader = { 'X-Repo-Commit': revision.commit };
    if (takeFault('fail500', [path]))
      return answerError(response, 500, undefined, 'injected failure', commitHeader);
    const file = revision.files.get(path);
    if (file === undefined)
      return answerError(response, 404, 'EntryNotFound', 'Entry not found', commitHeader);
    if (file.lfs) {
      response.writeHead(302, {
        ...commitHeader,
        Location: `/cdn/${file.sha256}`,
        ETag: `"${gitBlobSha1(lfsPointer(file))}"`,
        'X-Linked-Etag': `"${file.sha256}"`,
        'X-Linked-Size': String(file.content.length),
        'Content-Length': '0',
      });
      response.end();
      return;
    }
    sendContent(
      request,
      response,
      file.content,
      { ...commitHeader, ETag: `"${file.gitSha1}"` },
      (fault) => takeFault(fault, [path]),
    );
  };

  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      answerError(response, 400, undefined, error instanceof Error ? error.message : String(error));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const schedule = (fault: Fault) => (path: string) => void pending.push({ fault, path });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    token,
    requests,
    faults: {
      truncateNext: schedule('truncate'),
      fail500Next: schedule('fail500'),
      corruptNext: schedule('corrupt'),
      stallNext: schedule('stall'),
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves `content` with Range support (206, 416) and applies a pending content fault to a GET. */
function sendContent(
  request: IncomingMessage,
  response: ServerResponse,
  content: Buffer,
  headers: Record<string, string>,
  takeFault: (fault: Fault) => boolean,
): void {
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
  let start = 0;
  let end = content.length - 1;
  if (range !== null) {
    start = Number(range[1]);
    end = range[2] === '' ? end : Math.min(end, Number(range[2]));
    if (start >= content.length || start > end) {
      response.writeHead(416, { 'Content-Range': `bytes */${content.length}` });
      response.end();
      return;
    }
  }
  const body = Buffer.from(content.subarray(start, end + 1));
  response.writeHead(range === null ? 200 : 206, {
    ...headers,
    'Accept-Ranges': 'bytes',
    'Content-Length': String(body.length),
    ...(range === null ? {} : { 'Content-Range': `bytes ${start}-${end}/${content.length}` }),
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  if (takeFault('corrupt')) body[body.length >> 1]! ^= 0xff;
  const half = body.subarray(0, body.length >> 1);
  if (takeFault('truncate')) {
    // drop the connection a moment later: a client drops bytes still queued when the stream errors
    response.write(half, () => setTimeout(() => response.destroy(), 100));
  } else if (takeFault('stall')) {
    response.write(half); // never ended: the client's timeout or abort, or close(), ends it
  } else {
    response.end(body);
  }
}

function answerError(
  response: ServerResponse,
  status: number,
  code: string | undefined,
  message: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...headers,
    ...(code === undefined ? {} : { 'X-Error-Code': code }),
    'X-Error-Message': message,
    'Content-Type': 'text/plain',
  });
  response.end(message);
}

function describeFile(content: Buffer, lfsThreshold: number): ServedFile {
  return {
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
    gitSha1: gitBlobSha1(content),
    lfs: content.length > lfsThreshold,
  };
}

/** Git's object id of a blob: sha1("blob <length>\0" + content). */
function gitBlobSha1(content: Buffer | string): string {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The pointer file git stores for an LFS file (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). */
function lfsPointer(file: ServedFile): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${file.sha256}\nsize ${file.content.length}\n`;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
