import { describe, expect, it } from 'vitest';
import { terminalStyle } from './terminal-style.js';

describe('terminalStyle', () => {
  it('writes SGR codes only to a terminal without NO_COLOR (an empty NO_COLOR does not count)', () => {
    expect(terminalStyle({ isTTY: true }, {}).bold('A')).toBe('\x1b[1mA\x1b[22m');
    expect(terminalStyle({ isTTY: true }, { NO_COLOR: '' }).color).toBe(true);
    expect(terminalStyle({ isTTY: true }, { NO_COLOR: '1' }).color).toBe(false);
    expect(terminalStyle({ isTTY: false }, {}).color).toBe(false);
    expect(terminalStyle({}, {}).color).toBe(false);
    const plain = terminalStyle({ isTTY: true }, { NO_COLOR: 'yes' });
    expect([plain.bold('a'), plain.dim('b'), plain.heat('c', 0.7)]).toEqual(['a', 'b', 'c']);
  });

  it('shades heat from pale to deep as the weight grows, clamps above 1 and leaves weight 0 unshaded', () => {
    const style = terminalStyle({ isTTY: true }, {});
    const background = (weight: number): number =>
      Number(/48;5;(\d+)m/.exec(style.heat('x', weight))?.[1] ?? -1);
    expect(style.heat('x', 0)).toBe('x');
    expect(style.heat('x', Number.NaN)).toBe('x');
    // seven steps of [0, 1]: 0.1 → step 0 (230), 0.5 → step 3 (221), 1 and 5 → the last (208)
    expect([0.1, 0.5, 1, 5].map(background)).toEqual([230, 221, 208, 208]);
    expect(style.heat('dog', 1)).toBe('\x1b[30;48;5;208mdog\x1b[39;49m');
  });
});
