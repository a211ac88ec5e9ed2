import { afterEach, describe, expect, it, vi } from 'vitest';
import { AttnError } from '../errors/index.js';
import { sharedDataPath } from './shared-data.js';

afterEach(() => vi.unstubAllEnvs());

describe('sharedDataPath', () => {
  it('resolves a file under ATTN_DATA, and names a missing one with DATA_NOT_FOUND', () => {
    const root = sharedDataPath('SOURCES.md').slice(0, -'/SOURCES.md'.length);
    vi.stubEnv('ATTN_DATA', root);
    expect(sharedDataPath('SOURCES.md')).toBe(`${root}/SOURCES.md`);
    vi.stubEnv('ATTN_DATA', '/nonexistent-attn-data');
    let error: unknown;
    try {
      sharedDataPath('SOURCES.md');
    } catch (thrown) {
      error = thrown;
    }
    expect(AttnError.is(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'DATA_NOT_FOUND',
      message: expect.stringContaining('/nonexistent-attn-data/SOURCES.md is missing'),
      fix: expect.stringContaining('set ATTN_DATA'),
    });
  });
});
