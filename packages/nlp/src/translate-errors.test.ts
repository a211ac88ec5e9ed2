import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '@attn/core-attention/testing';
import { alignTranslation, translate } from './index.js';

describe('translate() input errors', () => {
  it('rejects empty and non-string text before loading any model', async () => {
    await expect(translate('')).rejects.toThrow(
      "translate(): text must be a non-empty string, got ''. Fix: pass the text to translate.",
    );
    await expect(translate(42 as unknown as string)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(translate([])).rejects.toThrow(
      'translate(): texts must be a non-empty array of strings, got [].',
    );
    await expect(translate(['ok', '  '])).rejects.toThrow(
      "translate(): texts[1] must be a non-empty string, got '  '.",
    );
    await expect(translate('ok', { batchSize: 0 })).rejects.toThrow(
      'translate(): options.batchSize must be a positive integer, got 0.',
    );
    await expect(alignTranslation({ source: 'a', target: '' })).rejects.toThrow(
      /pair.target must be a non-empty string/,
    );
    await expect(translate('ok', { sessionOptions: [1] as never })).rejects.toThrow(
      /^translate\(\): sessionOptions must be an object of onnxruntime-node's InferenceSession.SessionOptions .*got \[1\]/,
    );
  });

  it('hands session options to onnxruntime: the same translation with good ones, INVALID_ARGUMENT for refused ones', async () => {
    const model = join(repositoryRoot(), 'packages/core-attention/test-fixtures/tiny-marian');
    const options = { model, maxNewTokens: 4 };
    const plain = await translate('A dog runs.', options);
    const oneThread = await translate('A dog runs.', {
      ...options,
      sessionOptions: {
        intraOpNumThreads: 1,
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      },
    });
    expect(oneThread.targetTokens).toEqual(plain.targetTokens);
    expect(oneThread.score).toBeCloseTo(plain.score, 5);
    await expect(
      translate('A dog runs.', { ...options, sessionOptions: { intraOpNumThreads: -2 } }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(
        /refused the session options .*'intraOpNumThreads' is invalid: -2/,
      ),
    });
  });

  it("translates a text beyond the model's positions up to where they end, with a warning on that text alone", async () => {
    const model = join(repositoryRoot(), 'packages/core-attention/test-fixtures/tiny-marian'); // 512 positions
    const long = Array.from({ length: 600 }, (_, index) => `w${index}`).join(' ');
    const [short, cut] = await translate(['A dog.', long], { model, maxNewTokens: 2 });
    expect(short!.warnings).toEqual([]);
    expect(cut!.warnings).toHaveLength(1);
    const [, character] = /positions; it was translated up to character (\d+)$/.exec(
      cut!.warnings[0]!,
    )!;
    expect(cut!.warnings[0]).toMatch(/^the text has more tokens than the model's 512 positions/);
    expect(Number(character)).toBeGreaterThan(0);
    expect(Number(character)).toBeLessThan(long.length);
    expect(cut!.sourceTokens.length).toBeLessThanOrEqual(512);
  });

  it('names a model folder that does not exist', async () => {
    const error = await translate('A dog.', { model: '/nonexistent/attn-model' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect((error as Error).message).toContain('/nonexistent/attn-model');
  });

  it('refuses a model that does not translate', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'attn-bert-'));
    try {
      await writeFile(join(folder, 'config.json'), JSON.stringify({ model_type: 'bert' }));
      await expect(translate('A dog.', { model: folder })).rejects.toThrow(
        /translate\(\): .* is a 'bert' model; translate runs marian, bart, mbart, t5, mt5, attn-gru models/,
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
