// The report page: a title, a table of contents and one <section> per task, as one standalone HTML file.
import { h, raw, type Html } from '@attn/core-attention';

/** One part of the report: an id for the table of contents, a title and its body. */
export interface ReportSection {
  id: string;
  title: string;
  /** One sentence on what the section shows. */
  summary: string;
  body: Html;
  /** Set when the section's shipped model is not trained yet: the body says so and how to train it. */
  skipped?: { model: string; command: string };
}

const style = `
body { overflow-wrap: anywhere; font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d1d1f; }
h1 { margin-bottom: 0; } nav ul { columns: 2; } section { margin: 2.5rem 0; border-top: 1px solid #ddd; }
figure { display: inline-block; margin: 0.5rem 1rem 0.5rem 0; vertical-align: top; } figcaption { font-size: 13px; color: #555; }
table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left; }
.note { color: #555; font-size: 13px; } img { max-width: 100%; image-rendering: pixelated; }
.skipped { background: #fff4e5; border: 1px solid #f0b35a; border-radius: 6px; padding: 0.2rem 1rem; }
.bar { display: inline-block; height: 0.8rem; background: #f08c00; vertical-align: middle; }
mark { background: none; outline: 2px solid #1c7ed6; }`;

/**
 * The whole report as an HTML document.
 *
 * @example
 * ```ts
 * renderReport([{ id: 'x', title: 'X', summary: 'What X shows.', body: h('p', {}, 'hello') }], new Date(0));
 * // '<!doctype html><html lang="en">…<section id="x">…hello…</section>…</html>'
 * ```
 */
export function renderReport(sections: readonly ReportSection[], generatedAt: Date): string {
  const page = h('html', { lang: 'en' }, [
    h('head', {}, [
      h('meta', { charset: 'utf-8' }),
      h('title', {}, 'attn showcase'),
      h('style', {}, raw(style)),
    ]),
    h('body', {}, [
      h('h1', {}, 'attn showcase'),
      h(
        'p',
        { class: 'note' },
        `Every figure below was computed offline by attn on ${generatedAt.toISOString()}.`,
      ),
      skippedNote(sections),
      h(
        'nav',
        {},
        h(
          'ul',
          {},
          sections.map((section) => h('li', {}, h('a', { href: `#${section.id}` }, section.title))),
        ),
      ),
      ...sections.map((section) =>
        h('section', { id: section.id }, [
          h('h2', {}, section.title),
          h('p', {}, section.summary),
          section.body,
        ]),
      ),
    ]),
  ]);
  return `<!doctype html>${page.html}`;
}

/** One line naming the sections whose model is not trained yet; nothing when every section ran. */
function skippedNote(sections: readonly ReportSection[]): Html | null {
  const skipped = sections.filter((section) => section.skipped !== undefined);
  if (skipped.length === 0) return null;
  const names = skipped.map((section) => `${section.title} (${section.skipped?.model})`);
  return h('p', { class: 'skipped' }, [
    h('strong', {}, `${skipped.length} of ${sections.length} sections did not run`),
    `: their models are not shipped yet — ${names.join(', ')}. Each section says how to train its model.`,
  ]);
}
