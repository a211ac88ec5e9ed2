import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBlob } from './verify-blob.js';

// Reference digests of 'hello\n' from the command line: `printf 'hello\n' | git hash-object --stdin`
// and `printf 'hello\n' | sha256sum`.
const gitSha1 = 'ce013625030ba8dba906f756967f9e9ca394464a';
const sha256 = '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03';

let folder: string;
let path: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'attn-verify-'));
  path = join(folder, 'blob');
  await writeFile(path, 'hello\n');
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('verifyBlob', () => {
  it('accepts content whose sha256 or git blob sha1 is the ETag', async () => {
    expect(await verifyBlob(path, sha256, 6)).toBeUndefined();
    expect(await verifyBlob(path, gitSha1, 6)).toBeUndefined();
    expect(await verifyBlob(path, gitSha1, undefined)).toBeUndefined();
  });

  it('names the digest that does not match', async () => {
    expect(await verifyBlob(path, '0'.repeat(64), 6)).toBe(
      `sha256 ${sha256} does not match the ETag ${'0'.repeat(64)}`,
    );
    expect(await verifyBlob(path, 'f'.repeat(40), 6)).toBe(
      `git blob sha1 ${gitSha1} does not match the ETag ${'f'.repeat(40)}`,
    );
  });

  it('checks only the size for an ETag that is not a digest', async () => {
    expect(await verifyBlob(path, 'opaque-etag', 6)).toBeUndefined();
    expect(await verifyBlob(path, 'opaque-etag', 7)).toBe('6 bytes arrived, the hub announced 7');
    expect(await verifyBlob(path, sha256, 5)).toBe('6 bytes arrived, the hub announced 5');
  });
});
