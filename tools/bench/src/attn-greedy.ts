// Greedy decoding of the generation fixtures by attn, for the parity command and test.
import { createTensor } from '@attn/core-attention';
import {
  CausalLanguageModel,
  EncoderDecoderModel,
  openModelFolder,
} from '@attn/core-attention/runtime';
import type { Reference } from './transformers-greedy.js';

/** attn's greedy ids for each generation fixture. */
export const attnGreedy: Record<
  string,
  (folder: string, reference: Reference) => Promise<number[]>
> = {
  'tiny-marian': seq2seq,
  'tiny-bart': seq2seq,
  'tiny-bart-merged': seq2seq,
  'tiny-gpt2': async (folder, reference) => {
    const model = await CausalLanguageModel.load(await openModelFolder(folder));
    const run = await model.generate([reference.input_ids!], { maxNewTokens: 10 });
    await model.dispose();
    return run.sequences[0]![0]!.tokens;
  },
  'tiny-whisper': async (folder, reference) => {
    // reference.json: 1 s of silence, whose log-mel features are all -1.5 ([1, 80, 200] for the 2 s chunk)
    const model = await EncoderDecoderModel.load(await openModelFolder(folder));
    const features = createTensor('float32', [1, 80, 200], new Float32Array(80 * 200).fill(-1.5));
    const run = await model.generateFrom(await model.encodeFeatures(features), {
      prompt: [reference.decoder_input_ids!],
      maxNewTokens: 10,
      numBeams: 1,
    });
    await model.dispose();
    return run.sequences[0]![0]!.tokens;
  },
};

async function seq2seq(folder: string, reference: Reference): Promise<number[]> {
  const model = await EncoderDecoderModel.load(await openModelFolder(folder));
  const run = await model.generate([reference.input_ids!], { maxNewTokens: 10, numBeams: 1 });
  await model.dispose();
  return run.sequences[0]![0]!.tokens;
}
