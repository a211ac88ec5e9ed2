// An image result as an --out file: the overlay PNG itself, or an HTML page with the PNG inlined (a data: URL, so
// the page is one self-contained file) above a description of what was found.
import { h, type Html } from '@attn/core-attention';
import { htmlDocument } from './html-document.js';
import type { OutputFormat } from './out-target.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Writes `png` (an encoded PNG) to `path` as it is, or inside an HTML page titled `title` with `body` below it.
 *
 * @example
 * ```ts
 * await writeImageFigure('html', 'out/scene.html', await encodePng(overlay), 'attn detect: scene.png', table);
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the file cannot be written.
 */
export async function writeImageFigure(
  format: OutputFormat,
  path: string,
  png: Uint8Array,
  title: string,
  body: Html,
): Promise<void> {
  if (format === 'png') return writeFileAtomic(path, png);
  const source = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  const figure = h('figure', {}, h('img', { src: source, alt: title }));
  await writeFileAtomic(path, htmlDocument(title, h('main', {}, [figure, body])));
}
