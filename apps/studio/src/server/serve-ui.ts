// The built browser UI (Vite's output, dist/ui) as static files: index.html for '/', hashed assets cached for
// good, nothing outside the folder reachable, and a page that says how to build the UI when it is missing.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { HttpError } from './http-error.js';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** What the UI may load: only its own files, images and audio from blob: URLs of the user's own uploads. */
const contentSecurityPolicy =
  "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'";

/**
 * Answers a GET or HEAD for `pathname` with the file under `root` (index.html for '/').
 *
 * @example
 * ```ts
 * await serveUi('/repo/apps/studio/dist/ui', '/assets/index-abc123.js', response, false);
 * ```
 * @throws {HttpError} 404 NOT_FOUND for a path with no file (or one that leaves `root`); 503 UI_NOT_BUILT when
 * `root` has no index.html.
 */
export async function serveUi(
  root: string,
  pathname: string,
  response: ServerResponse,
  headOnly: boolean,
): Promise<void> {
  const notFound = new HttpError(404, 'NOT_FOUND', `no file ${pathname}`);
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname));
  } catch {
    throw notFound; // malformed percent-encoding
  }
  const path = join(root, relative);
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) throw notFound;
  const file = await stat(path).catch(() => undefined);
  if (file?.isFile() !== true) {
    const index = await stat(join(root, 'index.html')).catch(() => undefined);
    if (index === undefined)
      throw new HttpError(
        503,
        'UI_NOT_BUILT',
        `the studio's UI is not built (no ${join(root, 'index.html')}). Fix: run \`pnpm --filter @attn/studio build\`, or \`npx vite build\` in apps/studio`,
      );
    throw notFound;
  }
  response.writeHead(200, {
    'Content-Type': contentTypes[extname(path)] ?? 'application/octet-stream',
    'Content-Length': file.size,
    'Cache-Control': relative.startsWith(`${sep}assets${sep}`)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
  });
  if (headOnly) {
    response.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(path).on('error', reject).on('end', resolve).pipe(response);
  });
}
