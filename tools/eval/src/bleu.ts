// Corpus BLEU (Papineni et al. 2002) as sacreBLEU 2.x computes it by default (Post 2018): one reference,
// mixed case, mteval-v13a tokenisation, 1- to 4-grams, corpus brevity penalty, 'exp' smoothing. The same
// definition as tools/model-zoo/zoo/bleu.py, so cards and pipelines report comparable numbers.

/** The sacreBLEU-style signature of {@link corpusBleu}. */
export const bleuSignature = 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x-compatible';

const maxOrder = 4;

// mteval-v13a's language-independent rules, in order, as sacreBLEU applies them
const rules: [RegExp, string][] = [
  [/([{-~[-` -&(-+:-@/])/g, ' $1 '], // symbols and punctuation
  [/([^0-9])([.,])/g, '$1 $2 '], // period and comma unless preceded by a digit
  [/([.,])([^0-9])/g, ' $1 $2'], // period and comma unless followed by a digit
  [/([0-9])(-)/g, '$1 $2 '], // dash when preceded by a digit
];

/**
 * mteval-v13a tokenisation.
 *
 * @example
 * ```ts
 * tokenize13a('Ein Hund, der läuft.'); // 'Ein Hund , der läuft .'
 * tokenize13a('3.5-4 m'); // '3.5 - 4 m'
 * ```
 */
export function tokenize13a(line: string): string {
  let text = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (text.includes('&')) {
    text = text
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  text = ` ${text} `;
  for (const [pattern, replacement] of rules) text = text.replace(pattern, replacement);
  return text
    .split(/\s+/)
    .filter((token) => token !== '')
    .join(' ');
}

export interface BleuResult {
  /** 0–100 */
  score: number;
  precisions: number[];
  brevityPenalty: number;
  systemLength: number;
  referenceLength: number;
}

/**
 * Corpus BLEU of detokenised hypotheses against one reference each.
 *
 * @example
 * ```ts
 * corpusBleu(['the cat sat on the mat'], ['the cat sat on the mat']).score; // 100
 * ```
 * @throws {Error} when the lists differ in length.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly string[],
): BleuResult {
  if (hypotheses.length !== references.length) {
    throw new Error(
      `corpusBleu(): expected as many references as hypotheses, got ${references.length} and ${hypotheses.length}`,
    );
  }
  const matches = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let systemLength = 0;
  let referenceLength = 0;
  hypotheses.forEach((hypothesis, index) => {
    const hypothesisTokens = tokenize13a(hypothesis)
      .split(' ')
      .filter((token) => token !== '');
    const referenceTokens = tokenize13a(references[index] as string)
      .split(' ')
      .filter((token) => token !== '');
    systemLength += hypothesisTokens.length;
    referenceLength += referenceTokens.length;
    const referenceCounts = ngramCounts(referenceTokens);
    for (const [ngram, count] of ngramCounts(hypothesisTokens)) {
      const order = ngram.split('\u0001').length;
      matches[order - 1]! += Math.min(count, referenceCounts.get(ngram) ?? 0);
    }
    for (let order = 1; order <= maxOrder; order++)
      totals[order - 1]! += Math.max(0, hypothesisTokens.length - order + 1);
  });
  const precisions = new Array<number>(maxOrder).fill(0);
  let smooth = 1;
  for (let order = 0; order < maxOrder; order++) {
    if (totals[order] === 0) break;
    if (matches[order] === 0) {
      smooth *= 2;
      precisions[order] = 100 / (smooth * totals[order]!);
    } else {
      precisions[order] = (100 * matches[order]!) / totals[order]!;
    }
  }
  const brevityPenalty =
    systemLength === 0
      ? 0
      : systemLength < referenceLength
        ? Math.exp(1 - referenceLength / systemLength)
        : 1;
  const score =
    Math.min(...precisions) <= 0
      ? 0
      : brevityPenalty * Math.exp(precisions.reduce((sum, p) => sum + Math.log(p), 0) / maxOrder);
  return { score, precisions, brevityPenalty, systemLength, referenceLength };
}

function ngramCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let order = 1; order <= maxOrder; order++) {
    for (let start = 0; start + order <= tokens.length; start++) {
      const ngram = tokens.slice(start, start + order).join('\u0001');
      counts.set(ngram, (counts.get(ngram) ?? 0) + 1);
    }
  }
  return counts;
}
