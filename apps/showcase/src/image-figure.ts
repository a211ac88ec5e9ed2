// Images inside the report as data URIs, so report.html is one self-contained file.
import { h, type Html } from '@attn/core-attention';

/**
 * `<figure>` with the PNG `bytes` as a data URI and a caption (also the image's alt text).
 *
 * @example
 * ```ts
 * imageFigure(pngBytes, 'the scene').html;
 * // '<figure><img src="data:image/png;base64,iVBORw0…" alt="the scene"><figcaption>the scene</figcaption></figure>'
 * ```
 * @throws never.
 */
export function imageFigure(bytes: Uint8Array, caption: string): Html {
  const source = `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;
  return h('figure', {}, [h('img', { src: source, alt: caption }), h('figcaption', {}, caption)]);
}
