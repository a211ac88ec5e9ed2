// Greedy decoding of the generation fixtures (packages/core-attention/test-fixtures) by transformers.js, the parity
// oracle: its pipelines must load our folders offline, and its greedy ids are what attn's must equal.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  AutoModelForCausalLM,
  AutoModelForSeq2SeqLM,
  AutoProcessor,
  AutoTokenizer,
  type Tensor,
  WhisperForConditionalGeneration,
  env,
  pipeline,
} from '@huggingface/transformers';

export const fixturesFolder = fileURLToPath(
  new URL('../../../packages/core-attention/test-fixtures/', import.meta.url),
);
const maxNewTokens = 10;
const silenceSamples = 16_000;

/** What fixtures.py recorded for a generation fixture. */
export interface Reference {
  task: string;
  input: string;
  input_ids?: number[];
  decoder_input_ids?: number[];
  decoder_start_token_id?: number;
  greedy_ids: number[];
}

/** One fixture's greedy run: the model inputs used and the generated ids (prompt and start token removed). */
export interface GreedyRun {
  inputIds: number[];
  generated: number[];
}

env.allowRemoteModels = false; // a local folder must never be taken for a Hub id

/** reference.json of the fixtures, by fixture name. */
export async function fixtureReferences(): Promise<Record<string, Reference>> {
  return JSON.parse(await readFile(`${fixturesFolder}reference.json`, 'utf8')) as Record<
    string,
    Reference
  >;
}

/**
 * transformers.js's greedy run of each generation fixture, after running its pipeline once (it must load the folder).
 *
 * @example
 * ```ts
 * const run = await transformersGreedy['tiny-gpt2']!(`${fixturesFolder}tiny-gpt2`, references['tiny-gpt2']!);
 * run.generated; // [288, 14, 7, 296]
 * ```
 */
export const transformersGreedy: Record<
  string,
  (folder: string, reference: Reference) => Promise<GreedyRun>
> = {
  'tiny-marian': seq2seq('translation'),
  'tiny-bart': seq2seq('text2text-generation'),
  // tiny-bart's weights with Optimum's If-merged decoder; tiny-bart-split is left out: for seq2seq models
  // transformers.js 4.3.1 loads only decoder_model_merged.onnx, never decoder_model + decoder_with_past_model
  'tiny-bart-merged': seq2seq('text2text-generation'),
  'tiny-gpt2': causal,
  'tiny-whisper': whisper,
};

function seq2seq(task: 'translation' | 'text2text-generation') {
  return async (folder: string, reference: Reference): Promise<GreedyRun> => {
    await (
      await pipeline(task, folder)
    )(reference.input, { max_new_tokens: maxNewTokens });
    const tokenizer = await AutoTokenizer.from_pretrained(folder);
    const model = await AutoModelForSeq2SeqLM.from_pretrained(folder);
    const inputs = tokenizer(reference.input);
    const output = await model.generate({
      ...inputs,
      do_sample: false,
      max_new_tokens: maxNewTokens,
    });
    return {
      inputIds: idsOf(inputs.input_ids as Tensor),
      generated: idsOf(output as Tensor).slice(1),
    };
  };
}

async function causal(folder: string, reference: Reference): Promise<GreedyRun> {
  await (
    await pipeline('text-generation', folder)
  )(reference.input, { max_new_tokens: maxNewTokens });
  const tokenizer = await AutoTokenizer.from_pretrained(folder);
  const model = await AutoModelForCausalLM.from_pretrained(folder);
  const inputs = tokenizer(reference.input);
  const inputIds = idsOf(inputs.input_ids as Tensor);
  const output = await model.generate({
    ...inputs,
    do_sample: false,
    max_new_tokens: maxNewTokens,
  });
  return { inputIds, generated: idsOf(output as Tensor).slice(inputIds.length) };
}

async function whisper(folder: string): Promise<GreedyRun> {
  const silence = new Float32Array(silenceSamples);
  await (
    await pipeline('automatic-speech-recognition', folder)
  )(silence, {
    max_new_tokens: maxNewTokens,
    language: 'en',
  });
  const processor = await AutoProcessor.from_pretrained(folder);
  const model = await WhisperForConditionalGeneration.from_pretrained(folder);
  const inputs = (await processor(silence)) as { input_features: Tensor };
  const output = await model.generate({
    ...inputs,
    language: 'en',
    do_sample: false,
    max_new_tokens: maxNewTokens,
  });
  const ids = idsOf(output as Tensor);
  const promptLength = 4; // <|startoftranscript|> <|en|> <|transcribe|> <|notimestamps|>
  return { inputIds: ids.slice(0, promptLength), generated: ids.slice(promptLength) };
}

/** The ids of a [1, n] int64 tensor. */
function idsOf(tensor: Tensor): number[] {
  return Array.from(tensor.data as BigInt64Array, Number);
}
