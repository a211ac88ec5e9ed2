import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTensor } from '../../tensor/index.js';
import { expectClose, repositoryRoot } from '../../testing/index.js';
import { openModelFolder } from '../model-folder/index.js';
import { SessionCache } from '../session/index.js';
import { EncoderOnlyModel } from './encoder-only-model.js';

const fixtures = join(repositoryRoot(), 'packages/core-attention/test-fixtures');
const reference = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8'));
const sessions = new SessionCache();
afterAll(() => sessions.dispose());

describe('EncoderOnlyModel', () => {
  it('runs tiny-bert to the PyTorch QA logits, with its self-attention tapped', async () => {
    const expected = reference['tiny-bert'] as {
      input_ids: number[];
      token_type_ids: number[];
      start_logits: number[];
      end_logits: number[];
    };
    const model = await EncoderOnlyModel.load(await openModelFolder(join(fixtures, 'tiny-bert')), {
      sessions,
      attention: { encoder_self: 'all' },
    });
    const length = expected.input_ids.length;
    const ids = (values: number[]) =>
      createTensor('int64', [1, length], BigInt64Array.from(values, BigInt));
    const { outputs, attention } = await model.run({
      input_ids: ids(expected.input_ids),
      attention_mask: ids(new Array(length).fill(1)),
      token_type_ids: ids(expected.token_type_ids),
    });
    expectClose(outputs['start_logits']!.data as Float32Array, expected.start_logits, {
      atol: 1e-4,
    });
    expectClose(outputs['end_logits']!.data as Float32Array, expected.end_logits, { atol: 1e-4 });
    expect([...attention.keys()].sort()).toEqual(['attn.encoder_self.0', 'attn.encoder_self.1']);
    const layer = attention.get('attn.encoder_self.1')!;
    expect(layer.dims).toEqual([1, layer.dims[1], length, length]);
  });

  it('refuses a seq2seq folder', async () => {
    await expect(
      EncoderOnlyModel.load(await openModelFolder(join(fixtures, 'tiny-marian')), { sessions }),
    ).rejects.toThrow(
      /tiny-marian has model_type 'marian' \(encoder-decoder\); EncoderOnlyModel runs encoder-only models/,
    );
  });
});
