import { describe, expect, it } from 'vitest';
import { AttnError, describeValue, invalidArgument } from './index.js';

describe('AttnError', () => {
  it('composes what happened, the likely cause and the fix into the message', () => {
    const error = new AttnError('MODEL_NOT_FOUND', 'loadModel(): no model at ./x', {
      likelyCause: 'the path is relative to the wrong folder.',
      fix: 'pass an absolute path',
      cause: new Error('ENOENT'),
    });
    expect(error.message).toBe(
      'loadModel(): no model at ./x. Likely cause: the path is relative to the wrong folder. Fix: pass an absolute path.',
    );
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect((error.cause as Error).message).toBe('ENOENT');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AttnError');
  });

  it('is recognised across package copies by its Symbol.for marker, and nothing else is', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('@attn/core-attention/AttnError')]: true,
    });
    expect(AttnError.is(foreign)).toBe(true);
    expect(AttnError.is(new AttnError('ABORTED', 'stopped'))).toBe(true);
    expect(AttnError.is(new Error('x'))).toBe(false);
    expect(AttnError.is(null)).toBe(false);
    expect(AttnError.is('AttnError')).toBe(false);
  });

  it('builds argument errors that name the function, argument, expectation and value', () => {
    const error = invalidArgument(
      'softmax',
      'logits',
      'a non-empty Float32Array',
      describeValue(new Float32Array(0)),
    );
    expect(error.message).toBe(
      'softmax(): logits must be a non-empty Float32Array, got Float32Array of length 0.',
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('describes values compactly', () => {
    expect(describeValue([2, 3])).toBe('[2,3]');
    expect(describeValue('')).toBe("''");
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue('x'.repeat(100))).toHaveLength(42);
    expect(describeValue(new Map())).toBe('a Map');
  });
});
