// A key/value cache for incremental decoding: per layer, the keys [B,H,S,D] and values [B,H,S,Dv] of every position
// seen so far, in the layout of Hugging Face's past_key_values / present.* tensors (see HF-FORMATS.md).
// Each append makes new tensors (as torch.cat does): tensors handed out are never mutated afterwards.
import { AttnError, describeValue, invalidArgument, shapeMismatch } from '../errors/index.js';
import type { Tensor } from '../tensor/index.js';
import { expectFloat32, expectInteger } from './validation.js';

/** One layer's cached keys [B,H,S,D] and values [B,H,S,Dv]. */
export interface KeyValueEntry {
  readonly key: Tensor<'float32'>;
  readonly value: Tensor<'float32'>;
}

/**
 * Per-layer key/value cache: append the new positions each step, reorder batch rows for beam search, trim to roll
 * back. Layers start empty; a layer's first append fixes its B, H, D and Dv.
 *
 * @example
 * ```ts
 * const cache = new KeyValueCache(2);
 * const step = (length: number) => createTensor('float32', [1, 2, length, 4]);
 * cache.append(0, step(3), step(3)); // prompt: 3 positions
 * cache.append(0, step(1), step(1)).key.dims; // [1, 2, 4, 4]
 * cache.sequenceLength(0); // 4
 * cache.trim(2);
 * cache.sequenceLength(0); // 2
 * ```
 */
export class KeyValueCache {
  readonly numLayers: number;
  #layers: (KeyValueEntry | undefined)[];
  #disposed = false;

  /** @throws {AttnError} INVALID_ARGUMENT when `numLayers` is not a positive integer. */
  constructor(numLayers: number) {
    this.numLayers = expectInteger('KeyValueCache', 'numLayers', numLayers, 1);
    this.#layers = new Array<KeyValueEntry | undefined>(numLayers).fill(undefined);
  }

  /** Positions cached in `layer` (0 before its first append). @throws {AttnError} for a bad layer or a disposed cache. */
  sequenceLength(layer = 0): number {
    return this.#entry('sequenceLength', layer)?.key.dims[2] ?? 0;
  }

  /** The cached keys and values of `layer`, or undefined before its first append. @throws {AttnError} as sequenceLength. */
  get(layer: number): KeyValueEntry | undefined {
    return this.#entry('get', layer);
  }

  /**
   * Appends key [B,H,T,D] and value [B,H,T,Dv] along S and returns the layer's whole cache [B,H,S+T,·].
   *
   * @throws {AttnError} INVALID_ARGUMENT for a bad layer, a non-float32 / empty / non-rank-4 tensor, or a disposed cache;
   * SHAPE_MISMATCH when key and value disagree on B, H or T, or B, H, D, Dv differ from what the layer holds.
   */
  append(layer: number, key: Tensor<'float32'>, value: Tensor<'float32'>): KeyValueEntry {
    const fn = 'KeyValueCache.append';
    const cached = this.#entry('append', layer);
    const [B, H, T, D] = expectFloat32(fn, 'key', key, 4) as [number, number, number, number];
    const valueDims = expectFloat32(fn, 'value', value, 4);
    const Dv = valueDims[3] as number;
    if (valueDims[0] !== B || valueDims[1] !== H || valueDims[2] !== T) {
      throw shapeMismatch(
        fn,
        'value',
        `[${B},${H},${T},Dv] (B, H, T as in key)`,
        describeValue(valueDims),
      );
    }
    if (cached === undefined) {
      const batch = this.#batchSize();
      if (batch !== undefined && B !== batch) {
        throw shapeMismatch(
          fn,
          'key',
          `[${batch},H,T,D] (B as in the other layers)`,
          describeValue([...key.dims]),
        );
      }
      const entry = { key: copyOf(key), value: copyOf(value) };
      this.#layers[layer] = entry;
      return entry;
    }
    const [cachedB, cachedH, , cachedD] = cached.key.dims as [number, number, number, number];
    const cachedDv = cached.value.dims[3] as number;
    if (B !== cachedB || H !== cachedH || D !== cachedD) {
      throw shapeMismatch(
        fn,
        'key',
        `[${cachedB},${cachedH},T,${cachedD}] (B, H, D as cached in layer ${layer})`,
        describeValue([...key.dims]),
      );
    }
    if (Dv !== cachedDv)
      throw shapeMismatch(
        fn,
        'value',
        `[${B},${H},${T},${cachedDv}] (Dv as cached in layer ${layer})`,
        describeValue(valueDims),
      );
    const entry = { key: concatenate(cached.key, key), value: concatenate(cached.value, value) };
    this.#layers[layer] = entry;
    return entry;
  }

  /**
   * Gathers batch rows: row b of every layer becomes old row `indices[b]` (beam search keeps its surviving beams).
   * The batch size becomes `indices.length`.
   *
   * @throws {AttnError} INVALID_ARGUMENT when `indices` is empty or holds a value that is not a row index of the cache.
   */
  reorder(indices: ArrayLike<number>): void {
    this.#check();
    const batch = this.#batchSize() ?? 0;
    const valid =
      indices?.length > 0 &&
      Array.prototype.every.call(
        indices,
        (index: unknown) =>
          Number.isInteger(index) && (index as number) >= 0 && (index as number) < batch,
      );
    if (!valid)
      throw invalidArgument(
        'KeyValueCache.reorder',
        'indices',
        `a non-empty list of row indices in [0, ${batch})`,
        describeValue(Array.from(indices ?? [])),
      );
    this.#layers = this.#layers.map(
      (entry) =>
        entry && { key: gatherRows(entry.key, indices), value: gatherRows(entry.value, indices) },
    );
  }

  /**
   * Keeps the first `length` positions of every cached layer (to roll back rejected speculative tokens, say).
   *
   * @throws {AttnError} INVALID_ARGUMENT when `length` is not a non-negative integer or exceeds a layer's length.
   */
  trim(length: number): void {
    this.#check();
    const shortest = Math.min(...this.#layers.map((entry) => entry?.key.dims[2] ?? Infinity));
    if (!Number.isInteger(length) || length < 0 || length > shortest) {
      const expected =
        shortest === Infinity
          ? 'a non-negative integer'
          : `an integer in [0, ${shortest}] (the shortest cached layer)`;
      throw invalidArgument('KeyValueCache.trim', 'length', expected, describeValue(length));
    }
    this.#layers = this.#layers.map(
      (entry) => entry && { key: prefix(entry.key, length), value: prefix(entry.value, length) },
    );
  }

  /** Drops every cached tensor; any later call throws. */
  dispose(): void {
    this.#layers = [];
    this.#disposed = true;
  }

  #batchSize(): number | undefined {
    return this.#layers.find((entry) => entry !== undefined)?.key.dims[0];
  }

  #check(): void {
    if (this.#disposed)
      throw new AttnError('INVALID_ARGUMENT', 'KeyValueCache: used after dispose()', {
        fix: 'create a new KeyValueCache',
      });
  }

  #entry(method: string, layer: number): KeyValueEntry | undefined {
    this.#check();
    if (!Number.isInteger(layer) || layer < 0 || layer >= this.numLayers) {
      throw invalidArgument(
        `KeyValueCache.${method}`,
        'layer',
        `an integer in [0, ${this.numLayers})`,
        describeValue(layer),
      );
    }
    return this.#layers[layer];
  }
}

function copyOf(x: Tensor<'float32'>): Tensor<'float32'> {
  return { type: 'float32', data: x.data.slice(), dims: [...x.dims] };
}

/** [B,H,S,D] ++ [B,H,T,D] along S -> [B,H,S+T,D]: each (b, h) block is the old rows, then the new. */
function concatenate(cached: Tensor<'float32'>, added: Tensor<'float32'>): Tensor<'float32'> {
  const [B, H, S, D] = cached.dims as [number, number, number, number];
  const T = added.dims[2] as number;
  const data = new Float32Array(B * H * (S + T) * D);
  for (let block = 0; block < B * H; block++) {
    data.set(cached.data.subarray(block * S * D, (block + 1) * S * D), block * (S + T) * D);
    data.set(added.data.subarray(block * T * D, (block + 1) * T * D), (block * (S + T) + S) * D);
  }
  return { type: 'float32', data, dims: [B, H, S + T, D] };
}

/** [B,H,S,D] -> [N,H,S,D] with row n = old row indices[n]. */
function gatherRows(x: Tensor<'float32'>, indices: ArrayLike<number>): Tensor<'float32'> {
  const rowSize = x.data.length / (x.dims[0] as number);
  const data = new Float32Array(indices.length * rowSize);
  for (let n = 0; n < indices.length; n++) {
    const from = (indices[n] as number) * rowSize;
    data.set(x.data.subarray(from, from + rowSize), n * rowSize);
  }
  return { type: 'float32', data, dims: [indices.length, ...x.dims.slice(1)] };
}

/** [B,H,S,D] -> [B,H,length,D]: the first `length` positions. */
function prefix(x: Tensor<'float32'>, length: number): Tensor<'float32'> {
  const [B, H, S, D] = x.dims as [number, number, number, number];
  const data = new Float32Array(B * H * length * D);
  for (let block = 0; block < B * H; block++)
    data.set(x.data.subarray(block * S * D, (block * S + length) * D), block * length * D);
  return { type: 'float32', data, dims: [B, H, length, D] };
}
