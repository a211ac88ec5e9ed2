// A standalone HTML page for --out .html: UTF-8, a title, a little CSS for the highlights and tables that
// core-attention's render module produces, and the body.
import { h, raw, type Html } from '@attn/core-attention';

const css = `body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
.attn-tokens { line-height: 1.9; }
.attn-token { border-radius: 3px; }
.attn-table { border-collapse: collapse; margin: 1rem 0; }
.attn-table th, .attn-table td { border-bottom: 1px solid #ddd; padding: 0.2rem 0.7rem; text-align: left; }
figure { margin: 1rem 0; overflow-x: auto; }
img { max-width: 100%; image-rendering: pixelated; }`;

/**
 * The page `<!doctype html>…</html>` with `title` as its title and heading.
 *
 * @example
 * ```ts
 * htmlDocument('attn translate', h('p', {}, 'Ein Hund.')).startsWith('<!doctype html>\n<html lang="en">'); // true
 * ```
 * @throws never.
 */
export function htmlDocument(title: string, body: Html): string {
  const page = h('html', { lang: 'en' }, [
    h('head', {}, [
      h('meta', { charset: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', {}, title),
      h('style', {}, raw(css)),
    ]),
    h('body', {}, [h('h1', {}, title), body]),
  ]);
  return `<!doctype html>\n${page.html}\n`;
}
