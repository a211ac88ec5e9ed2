// Readers of the report's HTML for the tests: shaded text pieces, table rows and embedded images, decoded back
// into values.

/**
 * The shaded pieces of every `<div class="attn-tokens">` in `html`, in order: text (entities decoded) and the
 * weight of its tooltip.
 *
 * @example
 * ```ts
 * highlightGroups(textHighlights('A dog.', [{ start: 2, end: 5, weight: 0.5 }]).html);
 * // [[{ text: 'A ', weight: 0 }, { text: 'dog', weight: 0.5 }, { text: '.', weight: 0 }]]
 * ```
 * @throws never.
 */
export function highlightGroups(html: string): { text: string; weight: number }[][] {
  return [...html.matchAll(/<div class="attn-tokens">(.*?)<\/div>/gs)].map((group) =>
    [
      ...(group[1] as string).matchAll(
        /<span class="attn-token" [^>]*title="([^"]*)">(.*?)<\/span>/gs,
      ),
    ].map((piece) => ({ text: decodeEntities(piece[2] as string), weight: Number(piece[1]) })),
  );
}

/**
 * The cells of every body row of every table in `html`, as text (markup removed, entities decoded).
 *
 * @example
 * ```ts
 * tableRows('<table><tbody><tr><td>a</td><td><b>1</b></td></tr></tbody></table>'); // [['a', '1']]
 * ```
 * @throws never.
 */
export function tableRows(html: string): string[][] {
  return [...html.matchAll(/<tbody>(.*?)<\/tbody>/gs)].flatMap((body) =>
    [...(body[1] as string).matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
      [...(row[1] as string).matchAll(/<td>(.*?)<\/td>/gs)].map((cell) =>
        decodeEntities((cell[1] as string).replace(/<[^>]*>/g, '')),
      ),
    ),
  );
}

/**
 * Width and height of every PNG embedded in `html` as a data URI, in order.
 *
 * @example
 * ```ts
 * embeddedPngSizes(section.body.html); // [{ width: 320, height: 256 }, …]
 * ```
 * @throws {Error} when an embedded image is not a PNG.
 */
export function embeddedPngSizes(html: string): { width: number; height: number }[] {
  return [...html.matchAll(/src="data:image\/png;base64,([A-Za-z0-9+/=]+)"/g)].map((match) => {
    const bytes = Buffer.from(match[1] as string, 'base64');
    if (bytes.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a')
      throw new Error('an embedded image is not a PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  });
}

/**
 * The text of every `<figcaption>` in `html`, in order.
 *
 * @example
 * ```ts
 * figureCaptions(imageFigure(png, 'the scene').html); // ['the scene']
 * ```
 * @throws never.
 */
export function figureCaptions(html: string): string[] {
  return [...html.matchAll(/<figcaption>(.*?)<\/figcaption>/gs)].map((match) =>
    decodeEntities(match[1] as string),
  );
}

/**
 * Undoes escapeMarkup (&amp; &lt; &gt; &quot; &#39;).
 *
 * @example
 * ```ts
 * decodeEntities('Tom &amp; Jerry&#39;s &lt;b&gt;'); // "Tom & Jerry's <b>"
 * ```
 * @throws never.
 */
export function decodeEntities(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}
