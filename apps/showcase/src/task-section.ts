// A task's section of the report, or — when its shipped model has not been trained yet — a panel that says which
// model is missing and the command that trains it, so the report always has every task and says what it lacks.
import { AttnError, h, type Html } from '@attn/core-attention';
import type { ReportSection } from './report.js';

/** What a task section shows before it runs: its anchor, title and one sentence on what it shows. */
export interface TaskHeading {
  id: string;
  title: string;
  summary: string;
}

/**
 * The command that trains the shipped model `attn/<name>` (tools/model-zoo's recipe of the same name).
 *
 * @example
 * ```ts
 * trainCommand('attn/sum-captions'); // '/usr/bin/python3 tools/model-zoo/train.py sum-captions'
 * ```
 * @throws never.
 */
export function trainCommand(model: string): string {
  return `/usr/bin/python3 tools/model-zoo/train.py ${model.slice('attn/'.length)}`;
}

/**
 * Runs `render()`, the task on `model`, into a section that names the model. When `model` is a shipped
 * `attn/<name>` that is not in the models folder (the pipeline throws MODEL_NOT_FOUND for it), the section instead
 * holds a panel naming the model and its train command, and `skipped` is set.
 *
 * @example
 * ```ts
 * const section = await taskSection(heading, 'attn/sum-captions', () => summarizeAndDraw('attn/sum-captions'));
 * section.skipped; // { model: 'attn/sum-captions', command: '/usr/bin/python3 tools/model-zoo/train.py sum-captions' } until it is trained
 * ```
 * @throws whatever `render` throws, except MODEL_NOT_FOUND for a shipped model.
 */
export async function taskSection(
  heading: TaskHeading,
  model: string,
  render: () => Promise<Html>,
): Promise<ReportSection> {
  try {
    const body = await render();
    return { ...heading, body: h('div', {}, [h('p', { class: 'note' }, `model ${model}`), body]) };
  } catch (error) {
    const notShipped =
      model.startsWith('attn/') && AttnError.is(error) && error.code === 'MODEL_NOT_FOUND';
    if (!notShipped) throw error;
    const command = trainCommand(model);
    return {
      ...heading,
      body: h('div', { class: 'skipped' }, [
        h('p', {}, [
          h('strong', {}, `model ${model} is not shipped yet`),
          ' — train it with ',
          h('code', {}, command),
        ]),
        h('p', { class: 'note' }, (error as AttnError).message),
      ]),
      skipped: { model, command },
    };
  }
}
