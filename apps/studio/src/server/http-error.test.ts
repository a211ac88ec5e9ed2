import { AttnError } from '@attn/core-attention';
import { describe, expect, it } from 'vitest';
import { HttpError, httpErrorOf, statusOfAttnCode } from './http-error.js';

describe('httpErrorOf', () => {
  it('keeps an AttnError’s code and message with its status', () => {
    const error = httpErrorOf(
      new AttnError('INPUT_FORMAT', 'decodeWav(): input is not a WAV file', { fix: 'convert it' }),
    );
    expect(error.body()).toEqual({
      error: {
        code: 'INPUT_FORMAT',
        status: 400,
        message: 'decodeWav(): input is not a WAV file. Fix: convert it.',
      },
    });
  });

  it('answers the client’s mistakes 4xx and everything else 5xx', () => {
    const clientMistakes = Object.entries(statusOfAttnCode).filter(([, status]) => status < 500);
    expect(clientMistakes.map(([code]) => code).sort()).toEqual([
      'INPUT_FORMAT',
      'INVALID_ARGUMENT',
      'MODEL_NOT_FOUND',
      'UNSUPPORTED',
    ]);
  });

  it('passes HttpErrors through and hides the detail of anything else', () => {
    const refused = new HttpError(429, 'QUEUE_FULL', 'busy', { 'Retry-After': '2' });
    expect(httpErrorOf(refused)).toBe(refused);
    const bug = httpErrorOf(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect([bug.status, bug.code]).toEqual([500, 'INTERNAL']);
    expect(bug.message).not.toMatch(/properties/);
  });
});
