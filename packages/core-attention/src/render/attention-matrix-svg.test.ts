import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import { attentionMatrixSvg, type AttentionMatrixSvgOptions } from './attention-matrix-svg.js';
import { colormap, rgbToHex } from './colormaps.js';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const entityPattern = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi;
const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string, where: string): string {
  if (text.includes('<') || text.replace(entityPattern, '').includes('&'))
    throw new Error(`unescaped < or & in ${where}: ${text}`);
  return text.replace(entityPattern, (_, name: string) =>
    name.startsWith('#')
      ? String.fromCodePoint(Number(name.startsWith('#x') ? `0x${name.slice(2)}` : name.slice(1)))
      : namedEntities[name]!,
  );
}

/** A strict reader for the XML subset we emit: one root, balanced tags, double-quoted unique attributes, escaped text. */
function parseXml(markup: string): XmlElement {
  const token = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"]*")*)\s*(\/?)>|([^<]+)/y;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (let index = 0; index < markup.length; index = token.lastIndex) {
    token.lastIndex = index;
    const match = token.exec(markup);
    if (match === null)
      throw new Error(`not well-formed at ${index}: ${markup.slice(index, index + 40)}`);
    const [, closing, name = '', attributeText = '', selfClosing, text] = match;
    const parent = stack.at(-1);
    if (text !== undefined) {
      if (parent === undefined) throw new Error(`text outside the root: ${text}`);
      parent.text += decodeEntities(text, `<${parent.name}>`);
    } else if (closing === '/') {
      if (stack.pop()?.name !== name) throw new Error(`</${name}> closes the wrong element`);
    } else {
      const element: XmlElement = { name, attributes: {}, children: [], text: '' };
      for (const [, attribute = '', value = ''] of attributeText.matchAll(
        /([A-Za-z_][\w.:-]*)="([^"]*)"/g,
      )) {
        if (attribute in element.attributes) throw new Error(`duplicate attribute ${attribute}`);
        element.attributes[attribute] = decodeEntities(value, `${name}@${attribute}`);
      }
      if (parent !== undefined) parent.children.push(element);
      else if (root === undefined) root = element;
      else throw new Error('a second root element');
      if (selfClosing !== '/') stack.push(element);
    }
  }
  if (root === undefined || stack.length > 0) throw new Error('unclosed elements');
  return root;
}

const descendants = (element: XmlElement): XmlElement[] =>
  element.children.flatMap((child) => [child, ...descendants(child)]);
const byClass = (root: XmlElement, name: string): XmlElement[] =>
  descendants(root).filter((element) => element.attributes.class === name);

const awkward = ['a<b', 'x & y', '"quoted"', "it's", '</svg>'];
const options: AttentionMatrixSvgOptions = {
  queryLabels: awkward,
  keyLabels: ['<s>', 'Tom & Jerry', "l'eau"],
  title: 'Cross-attention <layer 2> & "head 0"',
  highlights: [
    { query: 0, key: 0 },
    { query: 4, key: 2 },
  ],
};
const weights = new Float32Array(Array.from({ length: 15 }, (_, index) => index / 14));

describe('attentionMatrixSvg', () => {
  it('is checked by an XML reader that rejects malformed markup', () => {
    expect(parseXml('<svg a="1"><g><t>x &amp; y</t></g><r/></svg>').children).toHaveLength(2);
    for (const malformed of [
      '<svg><t>a & b</t></svg>',
      '<svg><t>a < b</t></svg>',
      '<svg a="<"/>',
      '<svg><g></svg>',
      '<svg/><svg/>',
      '<svg a="1" a="2"/>',
      "<svg a='1'/>",
    ]) {
      expect(() => parseXml(malformed), malformed).toThrow();
    }
  });

  it('is well-formed XML with one rect per cell and one outline per highlight', () => {
    const root = parseXml(attentionMatrixSvg(weights, options));
    expect(root.name).toBe('svg');
    expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(byClass(root, 'cell')).toHaveLength(5 * 3);
    const cells = byClass(root, 'cell');
    const highlights = byClass(root, 'highlight');
    expect(highlights).toHaveLength(2);
    // The second outline sits on cell (query 4, key 2), the 15th cell, inset by 1.
    expect(Number(highlights[1]!.attributes.x)).toBeCloseTo(Number(cells[14]!.attributes.x) + 1, 6);
    expect(Number(highlights[1]!.attributes.y)).toBeCloseTo(Number(cells[14]!.attributes.y) + 1, 6);
  });

  it('escapes <, &, ", \' and > in labels and the title, which read back unchanged', () => {
    const svg = attentionMatrixSvg(weights, options);
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('&quot;quoted&quot;');
    expect(svg).toContain('it&#39;s');
    expect(svg.indexOf('</svg>')).toBe(svg.length - '</svg>'.length); // the label '</svg>' was escaped
    const root = parseXml(svg);
    const queryTexts = descendants(root)
      .find((element) => element.attributes.class === 'query-labels')!
      .children.map((text) => text.text);
    expect(queryTexts).toEqual(awkward);
    const keyTexts = descendants(root)
      .find((element) => element.attributes.class === 'key-labels')!
      .children.map((text) => text.text);
    expect(keyTexts).toEqual(['<s>', 'Tom & Jerry', "l'eau"]);
    expect(root.attributes['aria-label']).toBe(options.title);
    expect(byClass(root, 'cell')[0]!.children[0]!.text).toBe('a<b → <s>: 0');
  });

  it('writes only finite numbers, and keeps cells and labels inside the viewBox', () => {
    const long = { queryLabels: ['x'.repeat(40), 'y'], keyLabels: ['z'.repeat(30), 'w', 'v'] };
    for (const figure of [options, long]) {
      const root = parseXml(
        attentionMatrixSvg(weights.subarray(0, figure.queryLabels.length * 3), figure),
      );
      const viewBox = root.attributes.viewBox!.split(' ').map(Number);
      expect(viewBox).toHaveLength(4);
      expect(viewBox.every(Number.isFinite)).toBe(true);
      const [, , width, height] = viewBox as [number, number, number, number];
      expect([Number(root.attributes.width), Number(root.attributes.height)]).toEqual([
        width,
        height,
      ]);
      for (const element of [root, ...descendants(root)]) {
        for (const attribute of [
          'x',
          'y',
          'width',
          'height',
          'x1',
          'y1',
          'x2',
          'y2',
          'font-size',
          'stroke-width',
        ]) {
          const value = element.attributes[attribute];
          if (value !== undefined)
            expect(Number.isFinite(Number(value)), `${element.name}@${attribute}=${value}`).toBe(
              true,
            );
        }
        const transform = element.attributes.transform;
        if (transform !== undefined) expect(transform).toMatch(/^rotate\(-45 -?[\d.]+ -?[\d.]+\)$/);
        if (element.name === 'rect') {
          const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((name) =>
            Number(element.attributes[name]),
          ) as [number, number, number, number];
          expect(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height).toBe(
            true,
          );
        }
      }
      // Query labels end at x and run left; rotated key labels run up and right at 45 degrees (7.2 units a character).
      for (const text of descendants(root).find(
        (element) => element.attributes.class === 'query-labels',
      )!.children) {
        expect(Number(text.attributes.x) - text.text.length * 7.2).toBeGreaterThanOrEqual(0);
      }
      for (const text of descendants(root).find(
        (element) => element.attributes.class === 'key-labels',
      )!.children) {
        const reach = text.text.length * 7.2 * Math.SQRT1_2;
        expect(Number(text.attributes.x) + reach).toBeLessThanOrEqual(width);
        expect(Number(text.attributes.y) - reach).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('sizes the figure from label lengths and shortens very long labels', () => {
    const short = parseXml(
      attentionMatrixSvg(new Float32Array(2), { queryLabels: ['a', 'b'], keyLabels: ['c'] }),
    );
    const long = parseXml(
      attentionMatrixSvg(new Float32Array(2), {
        queryLabels: ['a'.repeat(20), 'b'],
        keyLabels: ['c'.repeat(20)],
      }),
    );
    expect(Number(long.attributes.width)).toBeGreaterThan(Number(short.attributes.width) + 100);
    expect(Number(long.attributes.height)).toBeGreaterThan(Number(short.attributes.height) + 90);
    const shortened = parseXml(
      attentionMatrixSvg(new Float32Array(1), { queryLabels: ['q'.repeat(30)], keyLabels: ['k'] }),
    );
    expect(
      descendants(shortened).find((element) => element.attributes.class === 'query-labels')!
        .children[0]!.text,
    ).toBe(`${'q'.repeat(23)}…`);
  });

  it('colours cells by the colormap over the domain, and NaN grey', () => {
    const root = parseXml(
      attentionMatrixSvg(new Float32Array([0, 0.5, 1, Number.NaN]), {
        queryLabels: ['a', 'b'],
        keyLabels: ['c', 'd'],
        colormap: 'magma',
        domain: [0, 1],
      }),
    );
    const fills = byClass(root, 'cell').map((cell) => cell.attributes.fill);
    expect(fills).toEqual([...[0, 0.5, 1].map((t) => rgbToHex(colormap('magma')(t))), '#808080']);
    expect(byClass(root, 'cell')[3]!.children[0]!.text).toBe('b → d: NaN');
  });

  it('rejects empty or mismatched labels, bad domains, sizes and highlights with INVALID_ARGUMENT', () => {
    const base = { queryLabels: ['a', 'b'], keyLabels: ['c'] };
    const bad: [Float32Array, AttentionMatrixSvgOptions][] = [
      [new Float32Array(0), { queryLabels: [], keyLabels: ['c'] }],
      [new Float32Array(2), { queryLabels: ['a', 'b'], keyLabels: [] }],
      [new Float32Array(3), base],
      [new Float32Array(2), { queryLabels: ['a', 7 as unknown as string], keyLabels: ['c'] }],
      [new Float32Array(2), { ...base, domain: [1, 0] }],
      [new Float32Array(2), { ...base, cellSize: 0 }],
      [new Float32Array(2), { ...base, highlights: [{ query: 2, key: 0 }] }],
      [new Float32Array(2), { ...base, highlights: [{ query: 0.5, key: 0 }] }],
      [new Float32Array(2), { ...base, colormap: 'jet' as 'gray' }],
    ];
    for (const [values, figure] of bad) {
      let caught: unknown;
      try {
        attentionMatrixSvg(values, figure);
      } catch (error) {
        caught = error;
      }
      expect(
        AttnError.is(caught) && caught.code === 'INVALID_ARGUMENT',
        JSON.stringify(figure),
      ).toBe(true);
    }
    expect(() =>
      attentionMatrixSvg(new Float32Array(2), { queryLabels: [], keyLabels: ['c'] }),
    ).toThrow(
      'attentionMatrixSvg(): options.queryLabels must be a non-empty array of strings, got [].',
    );
  });
});
