import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import { tokenHighlights } from './token-highlights.js';

describe('tokenHighlights', () => {
  it('shades each token by weight / largest weight and shows the weight as a tooltip', () => {
    expect(tokenHighlights(['the', '<cat>'], [0.25, 0.5]).html).toBe(
      '<div class="attn-tokens">' +
        '<span class="attn-token" style="background-color: rgba(255, 140, 0, 0.5)" title="0.25">the</span> ' +
        '<span class="attn-token" style="background-color: rgba(255, 140, 0, 1)" title="0.5">&lt;cat&gt;</span></div>',
    );
  });

  it('saturates at maxWeight, gives NaN and negative weights no colour, and takes a colour and separator', () => {
    const html = tokenHighlights(
      ['a', 'b', 'c', 'd'],
      new Float32Array([0.1, 0.4, Number.NaN, -1]),
      {
        maxWeight: 0.2,
        color: [0, 128, 255],
        separator: '',
      },
    ).html;
    // 0.1 / 0.2 = 0.5; 0.4 / 0.2 = 2 -> 1; NaN -> 0; -1 -> 0. Float32 0.1 shows as 0.1 at 3 significant digits.
    const styles = [...html.matchAll(/rgba\(0, 128, 255, ([\d.]+)\)" title="([^"]+)"/g)].map(
      (match) => [match[1], match[2]],
    );
    expect(styles).toEqual([
      ['0.5', '0.1'],
      ['1', '0.4'],
      ['0', 'NaN'],
      ['0', '-1'],
    ]);
    expect(html).toContain('</span><span');
  });

  it('rejects mismatched lengths and bad options with INVALID_ARGUMENT', () => {
    const attempts = [
      () => tokenHighlights(['a', 'b'], [1]),
      () => tokenHighlights(['a'], [1], { maxWeight: 0 }),
      () => tokenHighlights(['a'], [1], { color: [0, 0, 300] }),
      () => tokenHighlights([1 as unknown as string], [1]),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(AttnError);
    expect(() => tokenHighlights(['a', 'b'], [1])).toThrow(
      'tokenHighlights(): weights must be 2 weights, one per token, got [1].',
    );
  });
});
