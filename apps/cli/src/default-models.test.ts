import { defaultSpeechModel } from '@attn/audio';
import {
  defaultChatModel,
  defaultQuestionAnsweringModel,
  defaultSummarizationModel,
  defaultTranslationModel,
} from '@attn/nlp';
import { defaultDetectionModel, defaultSegmentationModel } from '@attn/vision';
import { describe, expect, it } from 'vitest';
import { defaultModels } from './default-models.js';

describe('defaultModels', () => {
  it('names the same defaults as the pipelines', () => {
    expect(defaultModels).toEqual({
      translate: defaultTranslationModel,
      summarize: defaultSummarizationModel,
      ask: defaultQuestionAnsweringModel,
      chat: defaultChatModel,
      detect: defaultDetectionModel,
      segment: defaultSegmentationModel,
      transcribe: defaultSpeechModel,
    });
  });
});
