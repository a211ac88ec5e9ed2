import { AttnError, type AttnErrorCode } from '@attn/core-attention';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, exitCodes, exitCodeTable, unexpectedFailureCode } from './exit-codes.js';

describe('exit codes', () => {
  it('gives every AttnError code its own exit code, none of them 0 or 1, ABORTED the shell’s 130', () => {
    const codes = Object.values(exitCodes).map(({ code }) => code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).not.toContain(0);
    expect(codes).not.toContain(unexpectedFailureCode);
    // the shell reserves 126–165 (not executable, not found, 128 + signal) except for what Ctrl-C means
    expect(codes.filter((code) => code >= 126)).toEqual([130]);
    expect(exitCodes.ABORTED.code).toBe(130);
    expect(exitCodes.INVALID_ARGUMENT.code).toBe(2);
  });

  it('maps errors by their code, from any copy of AttnError, and anything else to 1', () => {
    for (const [name, { code }] of Object.entries(exitCodes))
      expect(exitCodeOf(new AttnError(name as AttnErrorCode, 'x'))).toBe(code);
    const foreign = Object.assign(new Error('x'), {
      code: 'OFFLINE',
      [Symbol.for('@attn/core-attention/AttnError')]: true,
    });
    expect(exitCodeOf(foreign)).toBe(9);
    expect(
      exitCodeOf(Object.assign(new AttnError('OFFLINE', 'x'), { code: 'FROM_A_NEWER_COPY' })),
    ).toBe(1);
    expect(exitCodeOf(new TypeError('bug'))).toBe(1);
    expect(exitCodeOf('thrown string')).toBe(1);
  });

  it('lists 0, 1 and every code once, in ascending order, for --help', () => {
    const table = exitCodeTable();
    const listed = table.map((line) => Number(line.trim().split(/\s+/)[0]));
    expect(listed).toEqual(
      [0, 1, ...Object.values(exitCodes).map(({ code }) => code)].sort((a, b) => a - b),
    );
    for (const name of Object.keys(exitCodes))
      expect(table.filter((line) => line.endsWith(`(${name})`))).toHaveLength(1);
    expect(table[0]).toBe('  0    success');
  });
});
