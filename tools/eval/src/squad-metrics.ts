// SQuAD's exact match and F1 (Rajpurkar et al. 2016; the official v1.1 / v2.0 evaluation scripts): answers are
// normalised (lowercase, ASCII punctuation removed, the articles a / an / the removed, white space collapsed),
// each prediction scored against its best gold answer. No gold answers means "unanswerable": only an empty
// prediction scores (v2.0).

const punctuation = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/**
 * The official normalisation: lower, remove punctuation, remove articles, fix white space (in that order).
 *
 * @example
 * ```ts
 * normalizeAnswer("The  Cat's, hat!"); // 'cats hat'
 * ```
 */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(punctuation, '')
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter((token) => token !== '')
    .join(' ');
}

/**
 * 1 when the normalised prediction equals a normalised gold answer, else 0.
 *
 * @example
 * ```ts
 * exactMatch('The Eiffel tower.', ['eiffel tower']); // 1
 * exactMatch('', []); // 1 (unanswerable, and no answer given)
 * ```
 */
export function exactMatch(prediction: string, answers: readonly string[]): number {
  const golds = answers.length === 0 ? [''] : answers;
  return Math.max(
    ...golds.map((gold) => (normalizeAnswer(prediction) === normalizeAnswer(gold) ? 1 : 0)),
  );
}

/**
 * Token F1 against the best gold answer (token counts clipped, as collections.Counter's intersection).
 *
 * @example
 * ```ts
 * f1Score('the cat sat', ['a cat sat down']); // 0.8 (common: cat, sat → P = 1, R = 2/3)
 * ```
 */
export function f1Score(prediction: string, answers: readonly string[]): number {
  const golds = answers.length === 0 ? [''] : answers;
  return Math.max(...golds.map((gold) => tokenF1(prediction, gold)));
}

function tokenF1(prediction: string, gold: string): number {
  const predicted = normalizeAnswer(prediction)
    .split(' ')
    .filter((token) => token !== '');
  const expected = normalizeAnswer(gold)
    .split(' ')
    .filter((token) => token !== '');
  // an empty side scores 1 only when both are empty
  if (predicted.length === 0 || expected.length === 0)
    return predicted.length === expected.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of expected) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predicted) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common++;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / expected.length;
  return (2 * precision * recall) / (precision + recall);
}
