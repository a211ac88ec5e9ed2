// The models one package's pipelines have loaded: each loaded once per key and shared by every call, in one cache
// of onnxruntime sessions, and released together.
import { SessionCache } from '../session/index.js';

/**
 * Models loaded once per key (the parts that tell them apart, e.g. `modelSourceKey`'s plus the taps) and
 * shared by every call. A load that fails is not kept: the next call for its key tries again.
 *
 * @example
 * ```ts
 * const models = new LoadedModels<EncoderOnlyModel>();
 * const model = await models.get(modelSourceKey('detect', name, source), (sessions) =>
 *   EncoderOnlyModel.load(folder, { sessions }),
 * );
 * await models.dispose();
 * ```
 */
export class LoadedModels<Model> {
  /** The sessions every model here runs in. */
  private readonly sessions = new SessionCache();
  private readonly loads = new Map<string, Promise<Model>>();

  /** The model under `key` (JSON-serialisable parts), loaded into this cache's sessions by `load` the first time. */
  get(key: readonly unknown[], load: (sessions: SessionCache) => Promise<Model>): Promise<Model> {
    const id = JSON.stringify(key);
    const held = this.loads.get(id);
    if (held !== undefined) return held;
    const loading = load(this.sessions);
    // forgotten only if still the one held: a dispose and a new load may have come in between
    loading.catch(() => {
      if (this.loads.get(id) === loading) this.loads.delete(id);
    });
    this.loads.set(id, loading);
    return loading;
  }

  /** Forgets every model and releases their sessions. */
  async dispose(): Promise<void> {
    this.loads.clear();
    await this.sessions.dispose();
  }
}
