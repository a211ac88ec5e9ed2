// A tokenizer from a Hugging Face tokenizer.json (+ tokenizer_config.json), run by
// @huggingface/tokenizers, with character offsets and word ids recovered for every token.
import { Tokenizer } from '@huggingface/tokenizers';
import { AttnError, describeValue, invalidArgument } from '../../errors/index.js';
import { tokenOffsets, wordIds, type SurfaceStyle, type TokenOffset } from './token-offsets.js';

export interface TokenizedText {
  ids: number[];
  tokens: string[];
  /** [start, end) of each token in the input text (UTF-16 units); special tokens get an empty span. */
  offsets: TokenOffset[];
  /** Index of the white-space separated word each token belongs to; null for special tokens. */
  wordIds: (number | null)[];
  /** 1 for special tokens (added by the post-processor or written in the text), else 0. */
  specialTokensMask: number[];
}

export interface EncodeOptions {
  /** Add the post-processor's special tokens (BOS/EOS/CLS/SEP). Default true. */
  addSpecialTokens?: boolean;
}

type Json = Record<string, unknown>;

/**
 * A Hugging Face tokenizer with offsets.
 *
 * @example
 * ```ts
 * const tokenizer = new TextTokenizer(tokenizerJson, tokenizerConfig); // GPT-2's files
 * tokenizer.encode('Hello world').ids; // [15496, 995]
 * tokenizer.encode('Hello world').offsets; // [[0, 5], [6, 11]]
 * tokenizer.decode([15496, 995]); // 'Hello world'
 * ```
 */
export class TextTokenizer {
  readonly vocabSize: number;
  readonly specialTokens: ReadonlySet<string>;
  /** The id that stands for text outside the vocabulary, from tokenizer.json's model, if it has one. */
  readonly unknownTokenId: number | undefined;
  private readonly tokenizer: Tokenizer;
  private readonly style: SurfaceStyle;
  private readonly config: Json;

  /**
   * @throws {AttnError} MODEL_FORMAT when tokenizer.json lacks a model or the library rejects it.
   */
  constructor(tokenizerJson: unknown, tokenizerConfig: unknown = {}) {
    if (
      typeof tokenizerJson !== 'object' ||
      tokenizerJson === null ||
      !('model' in tokenizerJson)
    ) {
      throw new AttnError(
        'MODEL_FORMAT',
        `TextTokenizer(): tokenizer.json must be an object with a 'model', got ${describeValue(tokenizerJson)}`,
        {
          likelyCause:
            'the file is not a Hugging Face tokenizers file (a vocab.txt or sentencepiece model instead)',
          fix: 'convert the tokenizer to tokenizer.json with the Hugging Face tokenizers library',
        },
      );
    }
    const json = tokenizerJson as Json;
    this.config = (tokenizerConfig ?? {}) as Json;
    try {
      this.tokenizer = new Tokenizer(json, this.config);
    } catch (error) {
      throw new AttnError(
        'MODEL_FORMAT',
        'TextTokenizer(): @huggingface/tokenizers could not build the tokenizer from tokenizer.json',
        {
          likelyCause: 'a tokenizer component this library does not support',
          fix: 'check the tokenizer.json model, pre_tokenizer and decoder types',
          cause: error,
        },
      );
    }
    this.style = surfaceStyle(json);
    const added = Array.isArray(json['added_tokens']) ? (json['added_tokens'] as Json[]) : [];
    this.specialTokens = new Set(
      added.filter((token) => token['special'] === true).map((token) => String(token['content'])),
    );
    const model = json['model'] as Json;
    this.unknownTokenId =
      typeof model['unk_id'] === 'number'
        ? model['unk_id']
        : typeof model['unk_token'] === 'string'
          ? this.tokenizer.token_to_id(model['unk_token'])
          : undefined;
    let largest = -1;
    for (const id of this.tokenizer.get_vocab(true).values()) largest = Math.max(largest, id);
    this.vocabSize = largest + 1;
  }

  /**
   * Tokenizes `text`, returning ids, tokens, offsets and word ids.
   *
   * @throws {AttnError} INVALID_ARGUMENT when `text` is not a string.
   */
  encode(text: string, options: EncodeOptions = {}): TokenizedText {
    if (typeof text !== 'string')
      throw invalidArgument('TextTokenizer.encode', 'text', 'a string', describeValue(text));
    const encoding = this.tokenizer.encode(text, {
      add_special_tokens: options.addSpecialTokens ?? true,
    });
    const offsets = tokenOffsets(text, encoding.tokens, this.style, this.specialTokens);
    return {
      ids: encoding.ids,
      tokens: encoding.tokens,
      offsets,
      wordIds: wordIds(text, offsets),
      specialTokensMask: encoding.tokens.map((token: string) =>
        this.specialTokens.has(token) ? 1 : 0,
      ),
    };
  }

  /**
   * Offsets and word ids of `tokens` (e.g. generated ones) in `text` (e.g. their decoded text).
   *
   * @example
   * ```ts
   * const ids = [15496, 995];
   * tokenizer.alignTokens(tokenizer.decode(ids), ids.map((id) => tokenizer.idToToken(id)!));
   * // { offsets: [[0, 5], [6, 11]], wordIds: [0, 1] }
   * ```
   */
  alignTokens(
    text: string,
    tokens: readonly string[],
  ): { offsets: TokenOffset[]; wordIds: (number | null)[] } {
    const offsets = tokenOffsets(text, tokens, this.style, this.specialTokens);
    return { offsets, wordIds: wordIds(text, offsets) };
  }

  /** Text of `ids`; special tokens are skipped unless `skipSpecialTokens` is false. */
  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    return this.tokenizer.decode([...ids], {
      skip_special_tokens: options.skipSpecialTokens ?? true,
    });
  }

  /** The id of `token`, or undefined when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  /** The token string of `id`, or undefined. */
  idToToken(id: number): string | undefined {
    return this.tokenizer.id_to_token(id);
  }

  /**
   * The id of a special token named in tokenizer_config.json (`eos_token`, `pad_token`, …), or undefined.
   *
   * @example
   * ```ts
   * tokenizer.specialTokenId('eos_token'); // 50256 for GPT-2
   * ```
   */
  specialTokenId(
    name:
      | 'bos_token'
      | 'eos_token'
      | 'pad_token'
      | 'unk_token'
      | 'cls_token'
      | 'sep_token'
      | 'mask_token',
  ): number | undefined {
    const value = this.config[name];
    const content =
      typeof value === 'string'
        ? value
        : typeof value === 'object' && value !== null
          ? (value as Json)['content']
          : undefined;
    return typeof content === 'string' ? this.tokenToId(content) : undefined;
  }
}

/** How token strings spell their text: from the decoder (or pre-tokenizer) of tokenizer.json. */
function surfaceStyle(json: Json): SurfaceStyle {
  const types = new Set<string>();
  const collect = (component: unknown): void => {
    if (typeof component !== 'object' || component === null) return;
    const value = component as Json;
    if (typeof value['type'] === 'string') types.add(value['type']);
    for (const key of ['decoders', 'pretokenizers'])
      if (Array.isArray(value[key])) (value[key] as unknown[]).forEach(collect);
  };
  collect(json['decoder']);
  collect(json['pre_tokenizer']);
  if (types.has('ByteLevel')) return 'byte-level';
  if (types.has('Metaspace')) return 'metaspace';
  if (types.has('WordPiece') || (json['model'] as Json)['type'] === 'WordPiece') return 'wordpiece';
  return 'plain';
}
