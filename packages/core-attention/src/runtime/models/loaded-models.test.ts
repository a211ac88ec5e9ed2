import { describe, expect, it } from 'vitest';
import { attentionGraph } from '../../testing/index.js';
import type { ModelSession } from '../session/index.js';
import { LoadedModels } from './loaded-models.js';

const graph = attentionGraph({ role: 'encoder', layers: 1, seed: 5 }).bytes;

describe('LoadedModels', () => {
  it('loads a key once, also for calls that overlap, and each key on its own', async () => {
    const models = new LoadedModels<string>();
    const loads: string[] = [];
    const load = (name: string) => async () => {
      loads.push(name);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return name;
    };
    const [a, b] = await Promise.all([
      models.get(['m', 'fp32'], load('first')),
      models.get(['m', 'fp32'], load('second')),
    ]);
    expect([a, b, await models.get(['m', 'fp16'], load('third'))]).toEqual([
      'first',
      'first',
      'third',
    ]);
    expect(loads).toEqual(['first', 'third']);
    await models.dispose();
  });

  it('does not keep a failed load: the next call tries again', async () => {
    const models = new LoadedModels<string>();
    await expect(models.get(['m'], () => Promise.reject(new Error('disk full')))).rejects.toThrow(
      'disk full',
    );
    expect(await models.get(['m'], async () => 'loaded')).toBe('loaded');
    await models.dispose();
  });

  it('keeps a load begun after a dispose when one begun before it fails', async () => {
    const models = new LoadedModels<string>();
    const failing = models.get(['m'], async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('disk full');
    });
    await models.dispose();
    expect(await models.get(['m'], async () => 'after the dispose')).toBe('after the dispose');
    await expect(failing).rejects.toThrow('disk full');
    expect(await models.get(['m'], async () => 'loaded again')).toBe('after the dispose');
    await models.dispose();
  });

  it('loads into its own sessions and releases them, and the models, on dispose', async () => {
    const models = new LoadedModels<ModelSession>();
    const session = await models.get(['m'], (sessions) => sessions.get(graph));
    expect(session.isDisposed).toBe(false);
    await models.dispose();
    expect(session.isDisposed).toBe(true);
    const again = await models.get(['m'], (sessions) => sessions.get(graph));
    expect(again).not.toBe(session);
    expect(again.isDisposed).toBe(false);
    await models.dispose();
  });
});
