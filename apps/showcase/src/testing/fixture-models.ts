// The tiny random-weight fixture of each task's architecture (packages/core-attention/test-fixtures), so every
// section can be run and checked without the trained models.
import { join } from 'node:path';
import { repositoryRoot } from '@attn/core-attention/testing';
import type { ShowcaseModels } from '../showcase-models.js';

const fixture = (name: string): string =>
  join(repositoryRoot(), 'packages/core-attention/test-fixtures', name);

/** Task -> the fixture folder of its model family. */
export const fixtureModels: ShowcaseModels = {
  translation: fixture('tiny-marian'),
  summarization: fixture('tiny-bart'),
  questionAnswering: fixture('tiny-bert'),
  chat: fixture('tiny-gpt2'),
  detection: fixture('tiny-detr'),
  segmentation: fixture('tiny-vit'),
  transcription: fixture('tiny-whisper'),
};
