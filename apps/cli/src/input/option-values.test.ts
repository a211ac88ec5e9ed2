import { AttnError } from '@attn/core-attention';
import { describe, expect, it } from 'vitest';
import { flagOption, integerOption, numberOption, stringOption } from './option-values.js';

function failure(run: () => unknown): AttnError {
  try {
    run();
  } catch (error) {
    if (AttnError.is(error)) return error;
  }
  throw new Error('expected an AttnError');
}

describe('option values', () => {
  it('reads strings and flags, undefined and false when absent', () => {
    expect(stringOption({ model: 'attn/mt-en-de', json: true }, 'model')).toBe('attn/mt-en-de');
    expect(stringOption({ json: true }, 'json')).toBeUndefined();
    expect(flagOption({ json: true }, 'json')).toBe(true);
    expect(flagOption({}, 'json')).toBe(false);
  });

  it('parses integers at or above the minimum and names the flag, the value and an example otherwise', () => {
    expect(integerOption('translate', { beams: '4' }, 'beams', 1)).toBe(4);
    expect(integerOption('translate', { beams: ' 3 ' }, 'beams', 1)).toBe(3);
    expect(integerOption('translate', {}, 'beams', 1)).toBeUndefined();
    for (const bad of ['four', '2.5', '', '0', '1e3', '0x10']) {
      const error = failure(() => integerOption('translate', { beams: bad }, 'beams', 1));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toBe(
        `attn translate: --beams must be an integer ≥ 1, got '${bad}'. Fix: for example --beams 1.`,
      );
    }
  });

  it('parses numbers inside a closed range, infinite bounds written as ∞', () => {
    expect(numberOption('detect', { threshold: '0.7' }, 'threshold', 0, 1)).toBe(0.7);
    expect(numberOption('detect', { threshold: '1' }, 'threshold', 0, 1)).toBe(1);
    expect(numberOption('ask', { threshold: '-3.5' }, 'threshold', -Infinity, Infinity)).toBe(-3.5);
    expect(
      failure(() => numberOption('detect', { threshold: '7' }, 'threshold', 0, 1)).message,
    ).toBe(
      "attn detect: --threshold must be a number in [0, 1], got '7'. Fix: for example --threshold 0.5.",
    );
    expect(
      failure(() => numberOption('ask', { threshold: 'x' }, 'threshold', -Infinity, Infinity))
        .message,
    ).toBe(
      "attn ask: --threshold must be a number in [-∞, ∞], got 'x'. Fix: for example --threshold 0.",
    );
    expect(
      failure(() => numberOption('chat', { temperature: ' ' }, 'temperature', 0, Infinity)).message,
    ).toContain("[0, ∞], got ' '");
  });
});
