import { AttnError } from '@attn/core-attention';
import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.js';
import { expectMediaType, taskInput } from './task-input.js';

const bytes = (text: string): Uint8Array =>
  Uint8Array.from(text, (character) => character.charCodeAt(0));
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const none = new URLSearchParams();

function errorOf(run: () => unknown): AttnError | HttpError {
  try {
    run();
  } catch (error) {
    if (AttnError.is(error) || error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('expectMediaType', () => {
  it('takes each task’s kind of body, with parameters and in any case', () => {
    expect(() => expectMediaType('translate', 'application/json; charset=utf-8')).not.toThrow();
    expect(() => expectMediaType('detect', 'IMAGE/JPEG')).not.toThrow();
    expect(() => expectMediaType('transcribe', 'audio/x-wav')).not.toThrow();
  });

  it('refuses anything else with 415', () => {
    const wrong = errorOf(() => expectMediaType('segment', 'image/svg+xml')) as HttpError;
    expect(wrong.status).toBe(415);
    expect(wrong.message).toBe(
      "POST /api/segment takes an image file as its body (Content-Type image/png, image/jpeg, image/webp, image/gif, image/tiff, image/avif), got 'image/svg+xml'",
    );
    expect(errorOf(() => expectMediaType('chat', undefined)).message).toMatch(/got 'none'$/);
  });
});

describe('taskInput', () => {
  it('reads the text tasks’ fields and the model they name', () => {
    expect(
      taskInput(
        'translate',
        json({ text: 'A dog.', numBeams: 2, maxNewTokens: 20, model: 'm' }),
        none,
      ),
    ).toEqual({
      input: { task: 'translate', text: 'A dog.', numBeams: 2, maxNewTokens: 20 },
      modelId: 'm',
    });
    expect(
      taskInput('answer', json({ question: 'Who?', context: 'Ann.', model: null }), none),
    ).toEqual({
      input: { task: 'answer', question: 'Who?', context: 'Ann.' },
      modelId: undefined,
    });
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ];
    expect(taskInput('chat', json({ messages, extra: true }), none).input).toEqual({
      task: 'chat',
      messages,
    });
  });

  it('reads uploads and their options from the query', () => {
    const png = bytes('\x89PNG\r\n\x1a\n....');
    expect(taskInput('detect', png, new URLSearchParams('threshold=0&model=tiny-detr'))).toEqual({
      input: { task: 'detect', image: png, threshold: 0 },
      modelId: 'tiny-detr',
    });
    expect(taskInput('segment', png, new URLSearchParams('combine=rollout')).input).toEqual({
      task: 'segment',
      image: png,
      combine: 'rollout',
    });
    const wav = bytes('RIFF\x24\x00\x00\x00WAVEfmt ');
    expect(taskInput('transcribe', wav, new URLSearchParams('language=de')).input).toEqual({
      task: 'transcribe',
      audio: wav,
      language: 'de',
    });
    for (const head of [
      '\xff\xd8\xff\xe0',
      'GIF89a',
      'RIFF\x00\x00\x00\x00WEBPVP8 ',
      'II*\x00',
      'MM\x00*',
      '\x00\x00\x00\x1cftypavif',
    ])
      expect(() => taskInput('detect', bytes(head), none)).not.toThrow();
  });

  it('names the field, what it takes and what came', () => {
    const cases: [() => unknown, string, RegExp][] = [
      [
        () => taskInput('summarize', bytes('{'), none),
        'INVALID_ARGUMENT',
        /^summarize\(\): the body must be JSON, got text that does not parse/,
      ],
      [
        () => taskInput('translate', json('text'), none),
        'INVALID_ARGUMENT',
        /the body must be a JSON object, got 'text'/,
      ],
      [
        () => taskInput('translate', json({ text: '  ' }), none),
        'INVALID_ARGUMENT',
        /text must be a non-empty string of at most 10000 characters, got ' {2}'/,
      ],
      [
        () => taskInput('translate', json({ text: 'a', maxNewTokens: 257 }), none),
        'INVALID_ARGUMENT',
        /maxNewTokens must be an integer in \[1, 256\], got 257/,
      ],
      [
        () => taskInput('translate', json({ text: 'a', numBeams: 1.5 }), none),
        'INVALID_ARGUMENT',
        /numBeams must be an integer in \[1, 8\], got 1.5/,
      ],
      [
        () => taskInput('chat', json({ messages: [] }), none),
        'INVALID_ARGUMENT',
        /messages must be an array of 1 to 32 messages, got \[\]/,
      ],
      [
        () => taskInput('chat', json({ messages: [{ role: 'user', content: 3 }] }), none),
        'INVALID_ARGUMENT',
        /messages\[0\]\.content must be a non-empty string/,
      ],
      [
        () => taskInput('detect', new Uint8Array(0), none),
        'INVALID_ARGUMENT',
        /the uploaded file must be a non-empty file, got an empty body/,
      ],
      [
        () => taskInput('detect', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), none),
        'INPUT_FORMAT',
        /^detect\(\): the uploaded file is not an image \(PNG, JPEG, WebP, GIF, TIFF or AVIF\): it starts with '<svg xmlns="'/,
      ],
      [
        () => taskInput('transcribe', bytes('RIFF\x00\x00\x00\x00AVI LIST'), none),
        'INPUT_FORMAT',
        /is not a WAV file: it starts with 'RIFF....AVI '/,
      ],
      [
        () =>
          taskInput(
            'transcribe',
            bytes('RIFF\x00\x00\x00\x00WAVE'),
            new URLSearchParams('language=English'),
          ),
        'INVALID_ARGUMENT',
        /language must be a language code such as 'en', got 'English'/,
      ],
      [
        () => taskInput('detect', bytes('\x89PNG'), new URLSearchParams('threshold=-0.1')),
        'INVALID_ARGUMENT',
        /threshold must be a number in \[0, 1\], got '-0.1'/,
      ],
    ];
    for (const [run, code, message] of cases) {
      const error = errorOf(run);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    }
  });
});
