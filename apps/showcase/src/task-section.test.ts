import { AttnError, h } from '@attn/core-attention';
import { translate } from '@attn/nlp';
import { describe, expect, it } from 'vitest';
import { taskSection, trainCommand } from './task-section.js';
import { fixtureModels } from './testing/fixture-models.js';

const heading = { id: 'task', title: 'Task', summary: 'What the task shows.' };

describe('taskSection', () => {
  it('names the model above what the task rendered', async () => {
    const section = await taskSection(heading, 'attn/some-model', () =>
      Promise.resolve(h('p', {}, 'rendered')),
    );
    expect(section.skipped).toBeUndefined();
    expect(section.body.html).toBe(
      '<div><p class="note">model attn/some-model</p><p>rendered</p></div>',
    );
  });

  it('turns a shipped model that is not in the models folder into a panel with its train command', async () => {
    const model = 'attn/not-trained-here';
    const section = await taskSection(heading, model, async () =>
      h('p', {}, (await translate('A dog.', { model })).text),
    );
    const command = '/usr/bin/python3 tools/model-zoo/train.py not-trained-here';
    expect(section.skipped).toEqual({ model, command });
    expect(section.body.html).toContain(
      `<strong>model attn/not-trained-here is not shipped yet</strong> — train it with <code>${command}</code>`,
    );
    expect(trainCommand('attn/sum-captions')).toBe(
      '/usr/bin/python3 tools/model-zoo/train.py sum-captions',
    );
  });

  it('lets every other failure through: a missing folder path, or a bad argument to a shipped model', async () => {
    const missingFolder = `${fixtureModels.translation}-missing`;
    await expect(
      taskSection(heading, missingFolder, async () =>
        h('p', {}, (await translate('A dog.', { model: missingFolder })).text),
      ),
    ).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    const invalid = new AttnError('INVALID_ARGUMENT', 'translate(): input must be a string');
    await expect(taskSection(heading, 'attn/mt-en-de', () => Promise.reject(invalid))).rejects.toBe(
      invalid,
    );
  });
});
