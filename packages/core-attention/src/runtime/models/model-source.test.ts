import { describe, expect, it } from 'vitest';
import { modelLoadSettings, modelSourceKey } from './model-source.js';

describe('modelSourceKey and modelLoadSettings', () => {
  const key = (settings: Parameters<typeof modelSourceKey>[2]): string =>
    JSON.stringify(modelSourceKey('translate', 'attn/mt-en-de', settings));

  it('tells sources apart by variant, hub files and session options, whatever their key order', () => {
    expect(key({})).toBe(key({ dtype: 'fp32', hub: { token: 'secret' } })); // a token picks no other files
    expect(key({})).not.toBe(key({ dtype: 'q8' }));
    expect(key({})).not.toBe(key({ hub: { revision: 'v2' } }));
    expect(key({})).not.toBe(key({ sessionOptions: { intraOpNumThreads: 1 } }));
    expect(key({ sessionOptions: { intraOpNumThreads: undefined } })).toBe(key({}));
    expect(key({ sessionOptions: { logSeverityLevel: 3, intraOpNumThreads: 1 } })).toBe(
      key({ sessionOptions: { intraOpNumThreads: 1, logSeverityLevel: 3 } }),
    );
    expect(() => key({ sessionOptions: 'fast' as never })).toThrow(
      /^translate\(\): sessionOptions must be an object/,
    );
  });

  it('passes on only the variant and the session options that are set', () => {
    expect(modelLoadSettings({ hub: { revision: 'v2' } })).toEqual({});
    const sessionOptions = { intraOpNumThreads: 1 };
    expect(modelLoadSettings({ dtype: 'fp16', sessionOptions })).toEqual({
      dtype: 'fp16',
      sessionOptions,
    });
  });
});
