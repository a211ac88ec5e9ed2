import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { alignmentHeads, whisperSettings, type WhisperConfigFiles } from './whisper-settings.js';

const folder = join(repositoryRoot(), 'packages/core-attention/test-fixtures/tiny-whisper');
const json = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>;
const tinyWhisper = (): WhisperConfigFiles => ({
  config: json('config.json'),
  generationConfig: json('generation_config.json'),
  preprocessorConfig: json('preprocessor_config.json'),
});

describe('whisperSettings', () => {
  it("reads tiny-whisper's chunk, prompt, token ranges and alignment heads", () => {
    const settings = whisperSettings(tinyWhisper(), {});
    expect(settings).toMatchObject({
      sampleRate: 16000,
      melBins: 80,
      chunkSamples: 32000,
      chunkSeconds: 2,
      melFrames: 200,
      encoderFrames: 100,
      secondsPerFrame: 0.02, // 2 s / 100 positions
      prompt: [297, 298, 301, 305], // reference.json's decoder_input_ids
      language: 'en',
      endOfTextId: 296,
      alignmentHeads: [
        [1, 0],
        [1, 2],
      ],
      medianFilterWidth: 7,
      maxNewTokens: 224, // 448 / 2
      warnings: [],
    });
    // vocab_size 407: everything above <|endoftext|> (296) is special (297–305) or a timestamp (306–406)
    expect(settings.nonTextTokens).toEqual(Array.from({ length: 110 }, (_, i) => 297 + i));
  });

  it('prompts with the language and task asked for, and refuses ones the model lacks', () => {
    expect(whisperSettings(tinyWhisper(), { language: 'de', task: 'translate' }).prompt).toEqual([
      297, 299, 300, 305,
    ]);
    expect(() => whisperSettings(tinyWhisper(), { language: 'fr' })).toThrow(
      "transcribe(): options.language must be one of the model's languages (en, de), got 'fr'.",
    );
  });

  it('builds the English-only prompt from forced_decoder_ids when there is no lang_to_id', () => {
    const files = tinyWhisper();
    delete files.generationConfig['lang_to_id'];
    delete files.generationConfig['task_to_id'];
    files.generationConfig['forced_decoder_ids'] = [[1, 305]];
    const settings = whisperSettings(files, {});
    expect(settings.prompt).toEqual([297, 305]);
    expect(settings.language).toBeUndefined();
    expect(() => whisperSettings(files, { language: 'de' })).toThrow(/English-only/);
  });

  it('names the file and key that is missing or inconsistent', () => {
    const files = tinyWhisper();
    delete files.preprocessorConfig['n_samples'];
    expect(() => whisperSettings(files, {})).toThrow(
      /preprocessor_config.json must have a non-negative number n_samples, got undefined/,
    );
    const stride = tinyWhisper();
    stride.config['max_source_positions'] = 200;
    expect(() => whisperSettings(stride, {})).toThrow(/nb_max_frames must be twice/);
    const noTimestamps = tinyWhisper();
    delete noTimestamps.generationConfig['no_timestamps_token_id'];
    expect(() => whisperSettings(noTimestamps, {})).toThrow(/no_timestamps_token_id/);
  });
});

describe('alignmentHeads', () => {
  const config = { decoder_layers: 4, decoder_attention_heads: 2 };

  it('defaults to every head of the upper half of the layers, with a warning', () => {
    const warnings: string[] = [];
    expect(alignmentHeads(config, {}, warnings)).toEqual([
      [2, 0],
      [2, 1],
      [3, 0],
      [3, 1],
    ]);
    expect(warnings).toEqual([
      'generation_config.json has no alignment_heads; word times use every head of decoder layers 2–3, as openai/whisper does',
    ]);
  });

  it('rejects pairs outside the decoder', () => {
    expect(() => alignmentHeads(config, { alignment_heads: [[4, 0]] }, [])).toThrow(
      /alignment_heads in generation_config.json must be a non-empty list of \[layer, head\] pairs with layer < 4 and head < 2, got \[\[4,0\]\]/,
    );
    expect(() => alignmentHeads(config, { alignment_heads: [] }, [])).toThrow(/non-empty list/);
  });
});
