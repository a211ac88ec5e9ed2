import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.js';
import { formatBytes, readCappedBody } from './read-capped-body.js';

/** A request body of `chunks`, with a Content-Length header when `declared` is given. */
function requestOf(chunks: Uint8Array[], declared?: number): IncomingMessage & { pulled: number } {
  let pulled = 0;
  const stream = Readable.from(
    (function* () {
      for (const chunk of chunks) {
        pulled++;
        yield Buffer.from(chunk);
      }
    })(),
  ) as unknown as IncomingMessage & { pulled: number };
  Object.defineProperty(stream, 'pulled', { get: () => pulled });
  stream.headers = declared === undefined ? {} : { 'content-length': String(declared) };
  return stream;
}

describe('readCappedBody', () => {
  it('joins the chunks into one buffer that owns its memory', async () => {
    const body = await readCappedBody(requestOf([new Uint8Array([1, 2]), new Uint8Array([3])]), 3);
    expect([...body]).toEqual([1, 2, 3]);
    expect(body.buffer.byteLength).toBe(3); // transferable to a worker as it is
  });

  it('refuses a declared length over the limit before reading a byte', async () => {
    const request = requestOf([new Uint8Array(10)], 10);
    const error = await readCappedBody(request, 9).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(413);
    expect((error as HttpError).message).toMatch(
      /^the request body is larger than the server's limit of 9 B\./,
    );
    expect(request.pulled).toBe(0);
  });

  it('stops reading a streamed body as soon as it passes the limit', async () => {
    const request = requestOf(Array.from({ length: 10 }, () => new Uint8Array(4)));
    const error = (await readCappedBody(request, 10).catch(
      (caught: unknown) => caught,
    )) as HttpError;
    expect(error.status).toBe(413);
    expect(request.pulled).toBe(3); // 4 + 4 + 4 > 10: the third chunk is the last one read
  });

  it('formats limits as people read them', () => {
    expect([
      formatBytes(900),
      formatBytes(1536),
      formatBytes(10 * 1024 * 1024),
      formatBytes(256 * 1024),
    ]).toEqual(['900 B', '1.5 KiB', '10 MiB', '256 KiB']);
  });
});
