// Greedy decoding of the generation fixtures by attn, for the parity command and test.
import {
  CausalLanguageModel,
  EncoderDecoderModel,
  openModelFolder,
} from '@attn/core-attention/runtime';
import type { Reference } from './transformers-greedy.js';

/** attn's greedy ids for each text generation fixture (whisper joins when @attn/audio transcribes). */
export const attnGreedy: Record<
  string,
  (folder: string, reference: Reference) => Promise<number[]>
> = {
  'tiny-marian': seq2seq,
  'tiny-bart': seq2seq,
  'tiny-gpt2': async (folder, reference) => {
    const model = await CausalLanguageModel.load(await openModelFolder(folder));
    const run = await model.generate([reference.input_ids!], { maxNewTokens: 10 });
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
