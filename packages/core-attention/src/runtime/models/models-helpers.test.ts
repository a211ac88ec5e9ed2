import type * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createTensor } from '../../tensor/index.js';
import type { GeneratedSequence, GenerationStep } from '../generation/index.js';
import { cacheSlots, emptyPast } from './cache-slots.js';
import type { AttentionStepResult } from './encoder-decoder-stepper.js';
import { gatherRows } from './gather-rows.js';
import { lastPositionLogits } from './last-position-logits.js';
import { sequenceAttention } from './sequence-attention.js';

const metadata = (name: string, shape: (number | string)[]): ort.InferenceSession.ValueMetadata =>
  ({
    name,
    isTensor: true,
    type: 'float32',
    shape,
  }) as unknown as ort.InferenceSession.ValueMetadata;

describe('cacheSlots', () => {
  it('pairs past inputs with present outputs and reads head sizes from the declared shape', () => {
    const inputs = [
      metadata('input_ids', ['batch_size', 'decoder_sequence_length']),
      metadata('past_key_values.0.decoder.key', ['batch_size', 4, 'past', 16]),
      metadata('past_key_values.0.encoder.value', ['batch_size', 4, 'encoder_sequence_length', 16]),
      metadata('past_key_values.1.key', ['batch_size', 'heads', 'past', 'dim']),
    ];
    const outputs = ['logits', 'present.0.decoder.key', 'present.0.encoder.value', 'present.1.key'];
    expect(cacheSlots(inputs, outputs, { heads: 2, headDim: 8 })).toEqual([
      {
        input: 'past_key_values.0.decoder.key',
        output: 'present.0.decoder.key',
        layer: 0,
        kind: 'decoder',
        heads: 4,
        headDim: 16,
      },
      {
        input: 'past_key_values.0.encoder.value',
        output: 'present.0.encoder.value',
        layer: 0,
        kind: 'encoder',
        heads: 4,
        headDim: 16,
      },
      {
        input: 'past_key_values.1.key',
        output: 'present.1.key',
        layer: 1,
        kind: 'self',
        heads: 2,
        headDim: 8,
      },
    ]);
    expect(emptyPast(cacheSlots(inputs, outputs, { heads: 2, headDim: 8 })[0]!, 3).dims).toEqual([
      3, 4, 0, 16,
    ]);
  });

  it('rejects a past input without its present output, and unknown head sizes', () => {
    expect(() =>
      cacheSlots([metadata('past_key_values.0.key', ['b', 2, 'p', 4])], ['logits']),
    ).toThrow(/takes past_key_values.0.key but has no output present.0.key/);
    expect(() =>
      cacheSlots([metadata('past_key_values.0.key', ['b', 'h', 'p', 'd'])], ['present.0.key']),
    ).toThrow(/head count and size of past_key_values.0.key are not declared/);
  });
});

describe('gatherRows and lastPositionLogits', () => {
  it('gathers batch rows of any element type, repeating and reordering', () => {
    const floats = createTensor('float32', [2, 2], new Float32Array([1, 2, 3, 4]));
    expect(gatherRows(floats, [1, 1, 0])).toEqual({
      type: 'float32',
      data: new Float32Array([3, 4, 3, 4, 1, 2]),
      dims: [3, 2],
    });
    const ids = createTensor('int64', [3, 1], new BigInt64Array([7n, 8n, 9n]));
    expect([...gatherRows(ids, [2, 0]).data]).toEqual([9n, 7n]);
    expect(() => gatherRows(floats, [2])).toThrow(
      'gatherRows(): rows[0] must be an integer in [0, 2), got 2.',
    );
  });

  it('takes the last position of every row', () => {
    // rows 2, positions 3, vocab 2
    const logits = createTensor(
      'float32',
      [2, 3, 2],
      new Float32Array([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]),
    );
    expect([...lastPositionLogits(logits)]).toEqual([4, 5, 14, 15]);
  });
});

describe('sequenceAttention', () => {
  /** A step whose cross-attention for row r, head h, query q is filled with the value 100·step + 10·r + h. */
  function step(
    index: number,
    rows: number,
    queries: number,
    keys: number,
  ): GenerationStep<AttentionStepResult> {
    const heads = 2;
    const data = new Float32Array(rows * heads * queries * keys);
    for (let r = 0; r < rows; r++)
      for (let h = 0; h < heads; h++)
        data.fill(
          100 * index + 10 * r + h,
          (r * heads + h) * queries * keys,
          (r * heads + h + 1) * queries * keys,
        );
    const tensor = createTensor('float32', [rows, heads, queries, keys], data);
    return {
      step: index,
      inputIds: [],
      beamRows: undefined,
      result: { logits: new Float32Array(), attention: new Map([['attn.cross.1', tensor]]) },
    };
  }

  it('reads row rows[t] of step t, the prompt positions from step 0', () => {
    const steps = [step(0, 2, 2, 3), step(1, 2, 1, 3), step(2, 2, 1, 3)];
    const sequence: GeneratedSequence = {
      tokens: [5, 6, 0],
      score: 0,
      finishReason: 'eos',
      rows: [1, 0, 1],
    };
    const attention = sequenceAttention(steps, sequence, 'cross')!;
    expect(attention).toMatchObject({ layers: [1], heads: 2, queries: 4, keys: 3 });
    // head 0: two prompt rows from step 0 row 1 (10), then step 1 row 0 (100), step 2 row 1 (210)
    const head0 = Array.from({ length: 4 }, (_, q) => attention.data[q * 3]);
    expect(head0).toEqual([10, 10, 100, 210]);
    expect(attention.data[4 * 3 + 3 * 3]).toBe(211); // head 1, last query
    expect(sequenceAttention(steps, sequence, 'decoder_self')).toBeUndefined();
  });
});
