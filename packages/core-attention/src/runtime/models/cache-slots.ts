// The KV cache of an Optimum decoder export, read off its input names: `past_key_values.{i}.{decoder|encoder}.{key|value}`
// (encoder–decoder) or `past_key_values.{i}.{key|value}` (decoder-only), each fed back from `present.<same suffix>`.
// Cache tensors are [batch, heads, sequence, headDim] (HF-FORMATS.md).
import type * as ort from 'onnxruntime-node';
import { AttnError } from '../../errors/index.js';
import { createTensor, type Tensor } from '../../tensor/index.js';

/** One cache input of a decoder graph and the output that feeds it on the next step. */
export interface CacheSlot {
  /** e.g. 'past_key_values.0.decoder.key' */
  input: string;
  /** e.g. 'present.0.decoder.key' */
  output: string;
  layer: number;
  /** 'self' for decoder-only exports, 'decoder' or 'encoder' (cross) for encoder–decoder ones. */
  kind: 'self' | 'decoder' | 'encoder';
  heads: number;
  headDim: number;
}

const pastName = /^past_key_values\.(\d+)\.(?:(decoder|encoder)\.)?(key|value)$/;

/**
 * The cache slots of a decoder session, in input order; empty for a graph without a cache.
 *
 * @example
 * ```ts
 * cacheSlots(decoder.session.inputMetadata, { heads: 4, headDim: 64 })[0];
 * // { input: 'past_key_values.0.decoder.key', output: 'present.0.decoder.key', layer: 0, kind: 'decoder', heads: 4, headDim: 64 }
 * ```
 * @throws {AttnError} MODEL_FORMAT when a cache input has no matching `present.*` output or its head sizes are unknown.
 */
export function cacheSlots(
  inputs: readonly ort.InferenceSession.ValueMetadata[],
  outputs: readonly string[],
  fallback: { heads?: number; headDim?: number } = {},
): CacheSlot[] {
  const slots: CacheSlot[] = [];
  for (const metadata of inputs) {
    const match = pastName.exec(metadata.name);
    if (match === null) continue;
    const output = metadata.name.replace('past_key_values.', 'present.');
    if (!outputs.includes(output)) {
      throw new AttnError(
        'MODEL_FORMAT',
        `cacheSlots(): the decoder takes ${metadata.name} but has no output ${output}`,
        {
          likelyCause: 'a decoder exported without present.* outputs',
          fix: 're-export the decoder with use_cache=True',
        },
      );
    }
    const shape = metadata.isTensor ? metadata.shape : [];
    const heads = typeof shape[1] === 'number' ? shape[1] : fallback.heads;
    const headDim = typeof shape[3] === 'number' ? shape[3] : fallback.headDim;
    if (heads === undefined || headDim === undefined) {
      throw new AttnError(
        'MODEL_FORMAT',
        `cacheSlots(): the head count and size of ${metadata.name} are not declared`,
        {
          fix: 'give the number of attention heads and d_model in config.json',
        },
      );
    }
    const kind = (match[2] ?? 'self') as CacheSlot['kind'];
    slots.push({ input: metadata.name, output, layer: Number(match[1]), kind, heads, headDim });
  }
  return slots;
}

/**
 * The zero-length past a decoder gets on its first step: [batch, heads, 0, headDim].
 *
 * @example
 * ```ts
 * emptyPast(slot, 3).dims; // [3, 4, 0, 64]
 * ```
 */
export function emptyPast(slot: CacheSlot, batch: number): Tensor<'float32'> {
  return createTensor('float32', [batch, slot.heads, 0, slot.headDim]);
}
