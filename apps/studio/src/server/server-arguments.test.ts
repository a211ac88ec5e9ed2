import { describe, expect, it } from 'vitest';
import { serverArguments } from './server-arguments.js';

describe('serverArguments', () => {
  it('binds loopback by default and reads every option', () => {
    expect(serverArguments([])).toEqual({ host: '127.0.0.1' });
    expect(
      serverArguments([
        '--port=0',
        '--workers',
        '2',
        '--queue',
        '0',
        '--max-upload-mb',
        '0.5',
        '--timeout',
        '30',
        '--model',
        'translate=attn/mt-en-de',
        '--model',
        'detect=./tiny-detr',
        '--model',
        'translate=./tiny-marian',
        '--ui-root',
        'ui',
      ]),
    ).toEqual({
      host: '127.0.0.1',
      port: 0,
      workers: 2,
      maxQueued: 0,
      maxUploadBytes: 524_288, // 0.5 × 1024 × 1024
      jobTimeoutMs: 30_000,
      models: { translate: ['attn/mt-en-de', './tiny-marian'], detect: ['./tiny-detr'] },
      uiRoot: 'ui',
    });
    expect(serverArguments(['--help'])).toBe('help');
  });

  it('names the flag, what it takes and what came', () => {
    const cases: [string[], RegExp][] = [
      [['--port', 'http'], /--port must be a number in \[0, 65535\], got 'http'/],
      [['--workers', '1.5'], /--workers must be an integer, got 1.5/],
      [['--workers', '0'], /--workers must be a number in \[1, 64\], got '0'/],
      [['--timeout', ''], /--timeout must be a number in \[1, 86400\], got ''/],
      [['--model', 'detect'], /--model must be <task>=<attn\/name or folder> .*, got 'detect'/],
      [['--model', 'classify=./m'], /--model must be .*, got 'classify=.\/m'/],
      [['--model', 'detect='], /--model must be .*, got 'detect='/],
      [
        ['--verbose'],
        /the command line must be the options of --help, got Unknown option '--verbose'/,
      ],
    ];
    for (const [args, message] of cases) expect(() => serverArguments(args)).toThrow(message);
  });
});
