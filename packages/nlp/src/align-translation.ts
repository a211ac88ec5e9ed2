// alignTranslation(): the word alignment of a given source and translation, read off the cross-attention
// while the decoder is fed the translation (teacher forcing) — how attention alignments are evaluated
// against gold links (AER).
import {
  describeValue,
  invalidArgument,
  type AlignmentLink,
  type AttentionMaps,
} from '@attn/core-attention';
import { crossAttentionMaps } from './cross-attention-maps.js';
import { splitWords } from './split-words.js';
import { loadTextModel, type ModelSource } from './text-model.js';
import { defaultTranslationModel, translationTypes } from './translate.js';
import { wordAlignment, type WordAlignmentOptions } from './word-alignment.js';

export interface AlignTranslationOptions extends ModelSource {
  alignment?: WordAlignmentOptions;
  signal?: AbortSignal;
}

/** The alignment of a sentence pair. */
export interface PairAlignment {
  sourceWords: string[];
  targetWords: string[];
  /** Source word ↔ target word links (white-space separated words, 0-based). */
  alignment: AlignmentLink[];
  /** Cross-attention [layer, head, decoder input, source token]; decoder input 0 is the start token. */
  attention: AttentionMaps;
}

/**
 * Aligns `source` with its translation `target` through the model's cross-attention.
 *
 * @example
 * ```ts
 * const { alignment } = await alignTranslation({ source: 'A dog runs.', target: 'Ein Hund läuft.' });
 * alignment; // [{ source: 0, target: 0, weight: … }, { source: 1, target: 1, … }, { source: 2, target: 2, … }]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when source or target is not a non-empty string; as translate() for the model.
 */
export async function alignTranslation(
  pair: { source: string; target: string },
  options: AlignTranslationOptions = {},
): Promise<PairAlignment> {
  for (const side of ['source', 'target'] as const) {
    const value: unknown = pair?.[side];
    if (typeof value !== 'string' || value.trim() === '') {
      throw invalidArgument(
        'alignTranslation',
        `pair.${side}`,
        'a non-empty string',
        describeValue(value),
      );
    }
  }
  const layers = options.alignment?.layers;
  const { model, tokenizer } = await loadTextModel(
    'alignTranslation',
    options,
    defaultTranslationModel,
    translationTypes,
    'seq2seq',
    {
      cross: layers === undefined ? 'all' : [...layers],
    },
  );
  const source = tokenizer.encode(pair.source);
  const target = tokenizer.encode(pair.target);
  const start = model.defaults.decoderStartTokenId ?? 0;
  // the decoder reads [start, y0 … y(n-1)]; row i produces target token i, the last row what follows the target
  const prompt = [start, ...target.ids];
  const run = await model.generate([source.ids], {
    prompt: [prompt],
    maxNewTokens: 1,
    numBeams: 1,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  // one generated token: the query labels are the prompt's
  const { attention } = crossAttentionMaps(
    'alignTranslation',
    run,
    run.sequences[0]![0]!,
    tokenizer,
    source.tokens,
  );
  return {
    sourceWords: splitWords(pair.source),
    targetWords: splitWords(pair.target),
    alignment: wordAlignment(
      attention,
      source.wordIds,
      [...target.wordIds, null],
      options.alignment,
    ),
    attention,
  };
}
