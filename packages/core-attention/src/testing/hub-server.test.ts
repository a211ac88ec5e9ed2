import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHubServer, type HubServer } from './hub-server.js';

const large = Buffer.alloc(2000, 7);
const largeSha256 = createHash('sha256').update(large).digest('hex');

let hub: HubServer;
beforeEach(async () => {
  hub = await startHubServer({
    repos: {
      'org/m': { commit: 'c'.repeat(40), files: { 'small.txt': 'hello\n', 'big.bin': large } },
    },
  });
});
afterEach(() => hub.close());

describe('startHubServer', () => {
  it('serves small files directly with the git blob sha1 as ETag and the commit', async () => {
    const response = await fetch(`${hub.endpoint}/org/m/resolve/main/small.txt`);
    expect(response.status).toBe(200);
    // `printf 'hello\n' | git hash-object --stdin`
    expect(response.headers.get('etag')).toBe('"ce013625030ba8dba906f756967f9e9ca394464a"');
    expect(response.headers.get('x-repo-commit')).toBe('c'.repeat(40));
    expect(await response.text()).toBe('hello\n');
  });

  it('redirects LFS files to the CDN path with X-Linked-Etag (sha256) and X-Linked-Size', async () => {
    const head = await fetch(`${hub.endpoint}/org/m/resolve/main/big.bin`, {
      method: 'HEAD',
      redirect: 'manual',
    });
    expect(head.status).toBe(302);
    expect(head.headers.get('location')).toBe(`/cdn/${largeSha256}`);
    expect(head.headers.get('x-linked-etag')).toBe(`"${largeSha256}"`);
    expect(head.headers.get('x-linked-size')).toBe('2000');
    expect(head.headers.get('etag')).not.toBe(`"${largeSha256}"`); // the pointer file's, as on the hub
  });

  it('answers Range requests with 206 and an unsatisfiable one with 416', async () => {
    const partial = await fetch(`${hub.endpoint}/cdn/${largeSha256}`, {
      headers: { Range: 'bytes=1990-' },
    });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe('bytes 1990-1999/2000');
    expect((await partial.arrayBuffer()).byteLength).toBe(10);
    const beyond = await fetch(`${hub.endpoint}/cdn/${largeSha256}`, {
      headers: { Range: 'bytes=2000-' },
    });
    expect(beyond.status).toBe(416);
  });

  it('answers errors with the hub X-Error-Code values and logs every request', async () => {
    const codes = async (path: string): Promise<string> => {
      const response = await fetch(`${hub.endpoint}${path}`, { method: 'HEAD' });
      return `${response.status} ${response.headers.get('x-error-code')}`;
    };
    expect(await codes('/org/none/resolve/main/x')).toBe('404 RepoNotFound');
    expect(await codes('/org/m/resolve/main/none')).toBe('404 EntryNotFound');
    expect(await codes('/org/m/resolve/v9/small.txt')).toBe('404 RevisionNotFound');
    expect(hub.requests.map((request) => request.path)).toEqual([
      '/org/none/resolve/main/x',
      '/org/m/resolve/main/none',
      '/org/m/resolve/v9/small.txt',
    ]);
  });
});
