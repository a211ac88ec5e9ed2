// The held-out extractive QA set the QA recipe writes, as JSON lines in SQuAD 2.0's shape:
// {"id"?: string, "question": string, "context": string, "answers": [{"text": string, "start": number}, …]}
// with `start` the character offset of `text` in `context`; an empty `answers` marks an unanswerable question.
import { readJsonLines } from './read-json-lines.js';

/** One question with its gold answers. */
export interface QaItem {
  id: string;
  question: string;
  context: string;
  answers: { text: string; start: number }[];
}

/**
 * Reads and checks a QA set (a path, or one under the shared data folder; .gz allowed).
 *
 * @example
 * ```ts
 * const items = readQaSet('tools/model-zoo/work/qa-captions/test.jsonl');
 * items[0].context.slice(items[0].answers[0].start).startsWith(items[0].answers[0].text); // true
 * ```
 * @throws {Error} naming the line when an item lacks a field or an answer is not at its start offset.
 */
export function readQaSet(path: string): QaItem[] {
  let line = 0;
  return readJsonLines(path, (item) => {
    line++;
    const { id, question, context, answers } = (item ?? {}) as Partial<QaItem>;
    if (typeof question !== 'string' || typeof context !== 'string' || !Array.isArray(answers)) {
      throw new Error(
        'expected {"question": string, "context": string, "answers": [{"text", "start"}, …]}',
      );
    }
    for (const answer of answers) {
      if (context.slice(answer.start, answer.start + answer.text.length) !== answer.text)
        throw new Error(
          `answer '${answer.text}' is not at character ${answer.start} of the context`,
        );
    }
    return { id: typeof id === 'string' ? id : String(line), question, context, answers };
  });
}
