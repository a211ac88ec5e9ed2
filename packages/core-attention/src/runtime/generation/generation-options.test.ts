import { describe, expect, it } from 'vitest';
import { AttnError } from '../../errors/index.js';
import { generationOptionsFromConfig } from './generation-options.js';

describe('generationOptionsFromConfig', () => {
  it("converts a BART summarisation config (facebook/bart-large-cnn's values)", () => {
    const config = {
      _from_model_config: true,
      bos_token_id: 0,
      decoder_start_token_id: 2,
      early_stopping: true,
      eos_token_id: 2,
      forced_bos_token_id: 0,
      forced_eos_token_id: 2,
      length_penalty: 2.0,
      max_length: 142,
      min_length: 56,
      no_repeat_ngram_size: 3,
      num_beams: 4,
      pad_token_id: 1,
      transformers_version: '4.27.0.dev0',
    };
    expect(generationOptionsFromConfig(config)).toEqual({
      decoderStartTokenId: 2,
      earlyStopping: true,
      eosTokenId: 2,
      forcedBosTokenId: 0,
      forcedEosTokenId: 2,
      lengthPenalty: 2,
      maxLength: 142,
      minLength: 56,
      noRepeatNgramSize: 3,
      numBeams: 4,
      padTokenId: 1,
    });
  });

  it("reads lists, 'never' and sampling fields, and skips nulls", () => {
    const config = {
      bad_words_ids: [[58100]],
      eos_token_id: [0, 5],
      early_stopping: 'never',
      do_sample: true,
      top_k: 0,
      top_p: 0.9,
      temperature: 0.7,
      suppress_tokens: [1, 2],
      begin_suppress_tokens: [220],
      forced_bos_token_id: null,
    };
    expect(generationOptionsFromConfig(config)).toEqual({
      badWordsIds: [[58100]],
      eosTokenId: [0, 5],
      earlyStopping: 'never',
      doSample: true,
      topK: 0,
      topP: 0.9,
      temperature: 0.7,
      suppressTokens: [1, 2],
      beginSuppressTokens: [220],
    });
  });

  it('names the key and the value when a type is wrong', () => {
    expect(() => generationOptionsFromConfig({ num_beams: '4' })).toThrow(
      "generation_config.json key num_beams must be an integer, got '4'",
    );
    expect(() => generationOptionsFromConfig({ early_stopping: 'always' })).toThrow(
      "true, false or 'never'",
    );
    expect(() => generationOptionsFromConfig({ bad_words_ids: [1, 2] })).toThrow(
      'a list of lists of integers',
    );
    try {
      generationOptionsFromConfig([]);
    } catch (error) {
      expect(AttnError.is(error) && error.code).toBe('MODEL_FORMAT');
    }
    expect.assertions(4);
  });
});
