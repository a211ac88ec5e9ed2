// Tapped models on disk: the rewritten graph of (model bytes, tap request) is written once to a cache folder,
// named by the sha256 of both, and reused by every later request, in this process or the next.
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describeValue, invalidArgument } from '../../errors/index.js';
import {
  decodeModel,
  encodeModel,
  externalDataLocations,
  readModelFile,
} from '../onnx-graph/index.js';
import type { TapRequest } from './attention-kind.js';
import { applyTaps, type AttentionTap } from './apply-taps.js';
import type { FindAttentionOptions } from './find-attention-sites.js';
import { normalizeTapRequest } from './normalize-tap-request.js';

/** Bumped whenever the rewrite changes, so stale cached models are not reused. */
const rewriteVersion = 1;

/** Options of {@link tapModel}. */
export interface TapModelOptions extends FindAttentionOptions {
  /**
   * Folder of rewritten models. Default `$ATTN_CACHE/tapped-models`, else `$XDG_CACHE_HOME/attn/tapped-models`,
   * else `~/.cache/attn/tapped-models`.
   */
  cacheDir?: string;
}

/** A rewritten model whose requested attention layers are graph outputs. */
export interface TappedModel {
  /** The rewritten `.onnx` file in the cache folder. */
  modelPath: string;
  taps: AttentionTap[];
  /** External data files the model reads, relative to {@link TappedModel.sourceFolder}. */
  externalData: string[];
  /** Folder of the original model file, where its external data lives; undefined when tapped from bytes. */
  sourceFolder: string | undefined;
  /** True when the rewritten model was found in the cache rather than written by this call. */
  reused: boolean;
}

interface CacheRecord {
  version: number;
  taps: AttentionTap[];
  externalData: string[];
}

/**
 * Returns a copy of the model whose requested attention layers are graph outputs (see attention-kind.ts for the
 * names), writing it to the cache folder on first use.
 *
 * @example
 * ```ts
 * const tapped = await tapModel('/models/mt-en-de/onnx/decoder_model_merged.onnx', { cross: [5] });
 * tapped.taps.map((tap) => tap.name); // ['attn.cross.5']
 * (await tapModel('/models/mt-en-de/onnx/decoder_model_merged.onnx', { cross: [5] })).reused; // true
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a bad request or a layer the graph lacks; FILE_NOT_FOUND / MODEL_FORMAT
 * for a missing or unreadable model; UNSUPPORTED for fused attention it cannot recover.
 */
export async function tapModel(
  source: string | Uint8Array,
  request: TapRequest,
  options: TapModelOptions = {},
): Promise<TappedModel> {
  const normalized = normalizeTapRequest(request);
  if (Object.keys(normalized).length === 0) {
    throw invalidArgument(
      'tapModel',
      'request',
      'at least one kind with layers (taps off means: do not call tapModel)',
      describeValue(JSON.stringify(request)),
    );
  }
  const sourceFolder = typeof source === 'string' ? dirname(resolve(source)) : undefined;
  const { bytes, label } =
    typeof source === 'string'
      ? { bytes: await readModelFile(source), label: source }
      : { bytes: source, label: 'model bytes' };
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        rewriteVersion,
        request: normalized,
        selfAttention: options.selfAttention ?? null,
      }),
    )
    .update(bytes)
    .digest('hex');
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const modelPath = join(cacheDir, `${key}.onnx`);
  const recordPath = join(cacheDir, `${key}.json`);
  const cached = await readRecord(recordPath);
  if (
    cached !== undefined &&
    (await access(modelPath).then(
      () => true,
      () => false,
    ))
  ) {
    return {
      modelPath,
      taps: cached.taps,
      externalData: cached.externalData,
      sourceFolder,
      reused: true,
    };
  }
  const model = decodeModel(bytes, label);
  const taps = applyTaps(model, normalized, options);
  const record: CacheRecord = {
    version: rewriteVersion,
    taps,
    externalData: externalDataLocations(model),
  };
  await mkdir(cacheDir, { recursive: true });
  await writeAtomically(modelPath, encodeModel(model));
  await writeAtomically(recordPath, JSON.stringify(record));
  return { modelPath, taps, externalData: record.externalData, sourceFolder, reused: false };
}

function defaultCacheDir(): string {
  if (process.env.ATTN_CACHE) return join(process.env.ATTN_CACHE, 'tapped-models');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'attn', 'tapped-models');
}

async function readRecord(path: string): Promise<CacheRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(path, 'utf8')) as CacheRecord;
    return record.version === rewriteVersion && Array.isArray(record.taps) ? record : undefined;
  } catch {
    return undefined; // missing or half-written: rewrite
  }
}

/** Writes beside the target and renames, so a reader never sees half a file. */
async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
