import { join } from 'node:path';
import { AttnError } from '@attn/core-attention';
import { repositoryRoot } from '@attn/core-attention/testing';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { disposeVisionModels } from '../pipeline/vision-model.js';
import { segment } from '../segment/segment.js';
import { detect } from './detect.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const rgb = { width: 8, height: 8, channels: 3 as const, data: new Uint8Array(8 * 8 * 3) };
const missingModel = '/nonexistent/attn-vision-model';

async function failure(promise: Promise<unknown>): Promise<AttnError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(AttnError.is(error)).toBe(true);
  return error as AttnError;
}

afterAll(() => disposeVisionModels());

describe('detect() and segment() errors', () => {
  it('refuses bad options and bad images before looking for the model', async () => {
    // the model does not exist: each error below proves the check ran before loading
    expect((await failure(detect(rgb, { model: missingModel, threshold: 1.5 }))).message).toBe(
      'detect(): options.threshold must be a number in [0, 1], got 1.5.',
    );
    expect((await failure(detect(rgb, { model: missingModel, topK: 0 }))).message).toBe(
      'detect(): options.topK must be a positive integer, got 0.',
    );
    expect(
      (await failure(detect(rgb, { model: missingModel, attentionLayers: 'first' as never })))
        .message,
    ).toBe("detect(): options.attentionLayers must be 'last' or 'all', got 'first'.");
    expect((await failure(segment(rgb, { model: missingModel, massFraction: 0 }))).message).toBe(
      'segment(): options.massFraction must be a number in (0, 1], got 0.',
    );
    expect(
      (await failure(segment(rgb, { model: missingModel, combine: 'max' as never }))).code,
    ).toBe('INVALID_ARGUMENT');
    expect((await failure(segment([rgb], { model: missingModel, batchSize: 1.5 }))).code).toBe(
      'INVALID_ARGUMENT',
    );
    const truncated = (
      await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
        .png()
        .toBuffer()
    ).subarray(0, 40);
    expect(await failure(detect(truncated, { model: missingModel }))).toMatchObject({
      code: 'INPUT_FORMAT',
    });
    expect(
      await failure(segment([rgb, { ...rgb, height: 0 }], { model: missingModel })),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('refuses session options that are not an object, and those onnxruntime refuses', async () => {
    expect(
      (await failure(segment(rgb, { model: missingModel, sessionOptions: null as never }))).message,
    ).toMatch(/^segment\(\): sessionOptions must be an object .*got null/);
    const refused = await failure(
      detect(rgb, {
        model: join(fixtures, 'tiny-detr'),
        sessionOptions: { intraOpNumThreads: 0.5 },
      }),
    );
    expect(refused).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(refused.message).toMatch(/refused the session options .*tiny-detr.*intraOpNumThreads/);
  });

  it('names a model that does not exist', async () => {
    const error = await failure(detect(rgb, { model: missingModel }));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain(missingModel);
  });

  it('refuses a model of the wrong type with UNSUPPORTED', async () => {
    expect((await failure(detect(rgb, { model: join(fixtures, 'tiny-vit') }))).message).toMatch(
      /^detect\(\): .*tiny-vit is a 'vit' model; detect runs detr models/,
    );
    expect((await failure(segment(rgb, { model: join(fixtures, 'tiny-detr') }))).message).toMatch(
      /^segment\(\): .*tiny-detr is a 'detr' model; segment runs vit, deit models/,
    );
    expect(await failure(segment(rgb, { model: join(fixtures, 'tiny-bert') }))).toMatchObject({
      code: 'UNSUPPORTED',
    });
  });

  it('stops with ABORTED when the signal has fired', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(
      (
        await failure(
          detect([rgb, rgb], { model: join(fixtures, 'tiny-detr'), signal: controller.signal }),
        )
      ).message,
    ).toBe('detect(): aborted before loading the model.');
    expect(
      await failure(segment(rgb, { model: join(fixtures, 'tiny-vit'), signal: controller.signal })),
    ).toMatchObject({ code: 'ABORTED' });
  });
});
