// The answer in its context, and the evidence: what the answer's start or end token attended to.
import type { AnswerResult } from '../../api/studio-api.js';
import { element, warningList } from '../dom.js';
import { highlightText } from './highlighted-text.js';

/**
 * The view of an answer.
 *
 * @example
 * ```ts
 * resultSection.replaceChildren(answerView(result));
 * ```
 */
export function answerView(result: AnswerResult): HTMLElement {
  const context = element('p', { class: 'source-text' });
  const show = (which: 'answer' | 'start' | 'end'): void => {
    const spans =
      which === 'answer'
        ? [{ start: result.start, end: result.end, weight: 1 }]
        : result.evidence[which];
    highlightText(context, result.context, spans);
  };
  const choices = (['answer', 'start', 'end'] as const).map((which, index) => {
    const input = element('input', {
      type: 'radio',
      name: 'evidence',
      value: which,
      checked: index === 0,
    });
    input.addEventListener('change', () => show(which));
    const label = {
      answer: 'the answer',
      start: 'evidence of its start',
      end: 'evidence of its end',
    }[which];
    return element('label', {}, [input, ` ${label}`]);
  });
  show('answer');
  return element('article', { class: 'result' }, [
    element('h2', {}, ['Answer']),
    element('p', { class: 'prediction' }, [
      result.answer === '' ? '(no answer)' : result.answer,
      element('span', { class: 'weight' }, [` score ${result.score.toFixed(3)}`]),
    ]),
    result.noAnswer
      ? element('p', { class: 'note' }, ['The model judges that the context holds no answer.'])
      : null,
    element('fieldset', { class: 'controls' }, [
      element('legend', {}, ['Shade in the context']),
      ...choices,
    ]),
    context,
    warningList(result.warnings),
  ]);
}
