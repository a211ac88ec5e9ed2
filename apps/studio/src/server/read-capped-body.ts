// Reads a request body into one buffer of at most `limitBytes`, so no upload can grow the server's memory past
// the limit: a Content-Length over it is refused before a byte is read, and a body that streams past it is
// refused as soon as it does.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * The body of `request`, in a Uint8Array of its own (its ArrayBuffer can be transferred to a worker).
 *
 * @example
 * ```ts
 * const bytes = await readCappedBody(request, 10 * 1024 * 1024); // a 3 kB PNG: Uint8Array of length 3000
 * ```
 * @throws {HttpError} 413 PAYLOAD_TOO_LARGE when Content-Length or the bytes received exceed `limitBytes`;
 * 400 BAD_REQUEST when the client ends the request early or sends fewer bytes than its Content-Length.
 */
export async function readCappedBody(
  request: IncomingMessage,
  limitBytes: number,
): Promise<Uint8Array> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > limitBytes) throw tooLarge(limitBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'BAD_REQUEST', 'the request body ended before it was complete');
  }
  const body = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(
    413,
    'PAYLOAD_TOO_LARGE',
    `the request body is larger than the server's limit of ${formatBytes(limitBytes)}. Fix: send a smaller file (downscale the image, cut the audio), or start the studio with a larger --max-upload-mb`,
  );
}

/**
 * Bytes in the unit a person reads: B, KiB or MiB with at most one decimal.
 *
 * @example
 * ```ts
 * formatBytes(10 * 1024 * 1024); // '10 MiB'
 * formatBytes(1536); // '1.5 KiB'
 * ```
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / 1024 ** 2, 'MiB'];
  return `${Number(value.toFixed(1))} ${unit}`;
}
