import { resolve } from 'node:path';
import { defaultSpeechModel } from '@attn/audio';
import {
  defaultChatModel,
  defaultQuestionAnsweringModel,
  defaultSummarizationModel,
  defaultTranslationModel,
} from '@attn/nlp';
import { defaultDetectionModel, defaultSegmentationModel } from '@attn/vision';
import { describe, expect, it } from 'vitest';
import { fixtureModel } from '../testing/studio-inputs.js';
import type { HttpError } from './http-error.js';
import { defaultTaskModels, listModels, modelCatalog, resolveModel } from './model-catalog.js';

const fixtures = resolve(fixtureModel('tiny-bert'), '..');

describe('the model catalog', () => {
  it('defaults to the pipelines’ own defaults', () => {
    expect(defaultTaskModels).toEqual({
      translate: defaultTranslationModel,
      summarize: defaultSummarizationModel,
      answer: defaultQuestionAnsweringModel,
      chat: defaultChatModel,
      detect: defaultDetectionModel,
      segment: defaultSegmentationModel,
      transcribe: defaultSpeechModel,
    });
  });

  it('names shipped models attn/<name> and folders by their name, the first given being the default', () => {
    const catalog = modelCatalog(
      { answer: [fixtureModel('tiny-bert'), 'attn/qa-captions'] },
      fixtures,
    );
    expect(catalog.answer).toEqual([
      { id: 'tiny-bert', folder: fixtureModel('tiny-bert') },
      { id: 'attn/qa-captions', folder: resolve(fixtures, 'qa-captions') },
    ]);
    expect(catalog.translate).toEqual([
      { id: 'attn/mt-en-de', folder: resolve(fixtures, 'mt-en-de') },
    ]);
  });

  it('tells available models from missing ones', async () => {
    // fixtures as the models root: attn/tiny-vit is there, the default attn/vit-shapes is not
    const catalog = modelCatalog({ segment: ['attn/tiny-vit', 'attn/vit-shapes'] }, fixtures);
    const segment = (await listModels(catalog)).tasks.find((task) => task.task === 'segment')!;
    expect(segment).toEqual({
      task: 'segment',
      input: 'image',
      defaultModel: 'attn/tiny-vit',
      models: [
        { id: 'attn/tiny-vit', available: true },
        {
          id: 'attn/vit-shapes',
          available: false,
          reason:
            'attn/vit-shapes is not installed: train it with tools/model-zoo, or start the studio with --model segment=<model folder>',
        },
      ],
    });
    expect(await resolveModel(catalog, 'segment', undefined)).toEqual({
      id: 'attn/tiny-vit',
      folder: resolve(fixtures, 'tiny-vit'),
    });
    const missing = (await resolveModel(catalog, 'segment', 'attn/vit-shapes').catch(
      (error: unknown) => error,
    )) as HttpError;
    expect([missing.status, missing.code]).toEqual([404, 'MODEL_NOT_FOUND']);
    // a path is never a model id: requests cannot point the server at other folders
    const path = (await resolveModel(catalog, 'segment', fixtureModel('tiny-vit')).catch(
      (error: unknown) => error,
    )) as HttpError;
    expect(path.message).toMatch(
      /^segment has no model '.*'\. Fix: pick one of attn\/tiny-vit, attn\/vit-shapes/,
    );
  });

  it('refuses choices it cannot serve', () => {
    expect(() => modelCatalog({ classify: ['x'] }, fixtures)).toThrow(
      /modelCatalog\(\): choices must be tasks among translate, .*, got 'classify'/,
    );
    expect(() => modelCatalog({ detect: ['/a/tiny-detr', '/b/tiny-detr'] }, fixtures)).toThrow(
      /choices.detect must be models with distinct ids \(folder names\), got 'tiny-detr'/,
    );
    expect(() => modelCatalog({ detect: [' '] }, fixtures)).toThrow(
      /spec must be 'attn\/<name>' or a model folder/,
    );
  });
});
