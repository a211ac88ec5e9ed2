// The Pharaoh / Moses text format for word alignments, one sentence pair per line: whitespace-separated
// links "i-j" (source position i, target position j, 0-based), extended with "i?j" or "ipj" for possible links
// as in gold sets that distinguish sure from possible (Och & Ney 2003).
import { describeValue, invalidArgument } from '../errors/index.js';
import { describeLink, type AlignmentPair } from './alignment-error-rate.js';

/** Options of {@link parsePharaohAlignment}. */
export interface PharaohParseOptions {
  /** The position of the first word in the file: 0 (Moses, fast_align) or 1 (many gold sets). Default 0. */
  indexBase?: 0 | 1;
}

const linkPattern = /^(\d+)([-?p])(\d+)$/;

/**
 * Parses one line: "i-j" is a sure link, "i?j" and "ipj" possible links; i is the source position, j the target
 * position, both shifted to 0-based by `indexBase`. Links may repeat (kept as written); an empty or blank line has none.
 * `possible` lists only the links written as possible ({@link alignmentErrorRate} adds the sure ones to P itself).
 *
 * @example
 * ```ts
 * parsePharaohAlignment('0-0 1?2 2p1');
 * // { sure: [{ source: 0, target: 0 }], possible: [{ source: 1, target: 2 }, { source: 2, target: 1 }] }
 * parsePharaohAlignment('1-1 2-3', { indexBase: 1 }).sure; // [{ source: 0, target: 0 }, { source: 1, target: 2 }]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a link is not of the form i-j, i?j or ipj, or is below `indexBase`.
 */
export function parsePharaohAlignment(
  line: string,
  options: PharaohParseOptions = {},
): { sure: AlignmentPair[]; possible: AlignmentPair[] } {
  const fn = 'parsePharaohAlignment';
  if (typeof line !== 'string') throw invalidArgument(fn, 'line', 'a string', describeValue(line));
  const { indexBase = 0 } = options;
  if (indexBase !== 0 && indexBase !== 1)
    throw invalidArgument(fn, 'indexBase', '0 or 1', describeValue(indexBase));
  const sure: AlignmentPair[] = [];
  const possible: AlignmentPair[] = [];
  for (const [position, token] of line
    .trim()
    .split(/\s+/)
    .filter((part) => part !== '')
    .entries()) {
    const match = linkPattern.exec(token);
    const source = Number(match?.[1]) - indexBase;
    const target = Number(match?.[3]) - indexBase;
    if (match === null || source < 0 || target < 0) {
      throw invalidArgument(
        fn,
        `link ${position + 1}`,
        `'i-j' (sure) or 'i?j' / 'ipj' (possible) with positions ≥ ${indexBase}`,
        describeValue(token),
      );
    }
    (match[2] === '-' ? sure : possible).push({ source, target });
  }
  return { sure, possible };
}

/**
 * Writes links as one Pharaoh line, "source-target" pairs sorted by source then target.
 *
 * @example
 * ```ts
 * formatPharaohAlignment([{ source: 1, target: 0 }, { source: 0, target: 1 }]); // '0-1 1-0'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a link is not a pair of non-negative integers.
 */
export function formatPharaohAlignment(links: readonly AlignmentPair[]): string {
  if (!Array.isArray(links))
    throw invalidArgument(
      'formatPharaohAlignment',
      'links',
      'an array of { source, target }',
      describeValue(links),
    );
  for (const link of links) {
    if (!(
      Number.isInteger(link?.source) &&
      link.source >= 0 &&
      Number.isInteger(link.target) &&
      link.target >= 0
    )) {
      throw invalidArgument(
        'formatPharaohAlignment',
        'link',
        '{ source, target } with non-negative integer positions',
        describeLink(link),
      );
    }
  }
  return [...links]
    .sort((a, b) => a.source - b.source || a.target - b.target)
    .map(({ source, target }) => `${source}-${target}`)
    .join(' ');
}
