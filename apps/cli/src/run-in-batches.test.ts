import { describe, expect, it } from 'vitest';
import { progressText, runInBatches } from './run-in-batches.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('runInBatches', () => {
  it('runs consecutive batches in order and returns every result', async () => {
    const batches: number[][] = [];
    const results = await runInBatches(
      'translate',
      [1, 2, 3, 4, 5],
      2,
      stream(false),
      async (batch) => {
        batches.push(batch);
        return batch.map((item) => item * 10);
      },
    );
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(results).toEqual([10, 20, 30, 40, 50]);
  });

  it('draws progress on a terminal only, for more than one batch, and ends the line even on failure', async () => {
    const terminal = stream(true);
    await runInBatches('detect', [1, 2, 3], 2, terminal, async (batch) => batch);
    expect(terminal.written).toEqual([
      `\r${progressText('detect', 0, 3)}`,
      `\r${progressText('detect', 2, 3)}`,
      `\r${progressText('detect', 3, 3)}`,
      '\n',
    ]);
    const pipe = stream(false);
    await runInBatches('detect', [1, 2, 3], 2, pipe, async (batch) => batch);
    const single = stream(true);
    await runInBatches('detect', [1, 2], 2, single, async (batch) => batch);
    expect([pipe.written, single.written]).toEqual([[], []]);

    const failing = stream(true);
    await expect(
      runInBatches('detect', [1, 2, 3], 1, failing, async () =>
        Promise.reject(new Error('model failed')),
      ),
    ).rejects.toThrow('model failed');
    expect(failing.written.at(-1)).toBe('\n');
  });

  it('fills round(20 × done / total) marks and right-aligns the count', () => {
    expect(progressText('translate', 8, 20)).toBe('translate [########------------]  8/20');
    // 20 × 1 / 3 = 6.7 → 7 marks
    expect(progressText('detect', 1, 3)).toBe('detect [#######-------------] 1/3');
    expect(progressText('detect', 0, 3)).toBe('detect [--------------------] 0/3');
  });
});
