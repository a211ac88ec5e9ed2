// Section: extractive question answering (attn/qa-captions by default) — each answer with the context shaded by
// what its start and end tokens attended to, and the deletion test of that evidence (Principle 5: attention is
// evidence, not proof, so the report checks it).
import { h, type Html } from '@attn/core-attention';
import { answer, answerDeletionTest } from '@attn/nlp';
import type { ReportSection } from '../report.js';
import { taskSection } from '../task-section.js';
import { textHighlights } from '../text-highlights.js';

/** Tokens the deletion test removes, and the random draws it compares with. */
const deleted = 3;
const trials = 20;

/** A probability drop with three decimals; a drop that rounds to zero shows as 0.000, never -0.000. */
const drop = (value: number): string => (Math.abs(value) < 5e-4 ? 0 : value).toFixed(3);

async function answerFigure(model: string, context: string, question: string): Promise<Html> {
  const result = await answer({ question, context }, { model });
  const check = await answerDeletionTest({ question, context }, { model, k: deleted, trials });
  const evidence = [...result.evidence.start, ...result.evidence.end];
  return h('div', { class: 'answer' }, [
    h('p', {}, [
      h('strong', {}, 'Q '),
      question,
      h('br'),
      h('strong', {}, 'A '),
      h('mark', {}, result.answer),
      ` (p = ${result.score.toFixed(2)}, characters ${result.start}–${result.end}${result.noAnswer ? '; the model judges that the context holds no answer' : ''})`,
    ]),
    textHighlights(context, evidence),
    h(
      'p',
      { class: 'note' },
      check === undefined
        ? `deletion test not run: fewer than ${deleted} context tokens outside the answer`
        : `Deletion test: removing the ${deleted} context tokens the answer attended to most lowers its probability by ${drop(check.topDrop)}; ${trials} random sets of ${deleted} lower it by ${drop(check.randomMean)} on average (${Math.round(check.randomAtLeastTop * trials)} of ${trials} by as much).`,
    ),
  ]);
}

/**
 * The question-answering section: each question answered from `context` by `model`.
 *
 * @example
 * ```ts
 * const section = await questionAnsweringSection('attn/qa-captions', {
 *   context: 'A young girl in a yellow dress is climbing a tree.',
 *   questions: ['What is the girl climbing?'],
 * });
 * section.body.html; // '<div>…<mark>…</mark> (p = …, characters …)…<div class="attn-tokens">…Deletion test: …'
 * ```
 * @throws {AttnError} the errors of answer(), except MODEL_NOT_FOUND for a shipped model (see taskSection).
 */
export function questionAnsweringSection(
  model: string,
  sample: { context: string; questions: readonly string[] },
): Promise<ReportSection> {
  const heading = {
    id: 'question-answering',
    title: 'Question answering with evidence',
    summary:
      "Each answer is a span of the context; the context is shaded by the attention of the answer's start and end tokens in the head the model reads its evidence from (attn/qa-captions: layer 1, head 3, chosen by the deletion test on validation questions), and a deletion test checks that evidence against random deletions.",
  };
  return taskSection(heading, model, async () => {
    const figures: Html[] = [];
    for (const question of sample.questions)
      figures.push(await answerFigure(model, sample.context, question));
    return h('div', {}, figures);
  });
}
