// `pnpm --filter @attn/bench exec tsx src/chat.ts [--model DIR] [--tokens 32] [--runs 10] [--isolated]`: tokens/s of chat
// generation — attn's chat() (attention on and off) and chatStream() against transformers.js's text-generation
// pipeline on the same model folder, in one process. Both decode greedily exactly `tokens` new tokens (end-of-sequence
// suppressed until then) after the same prompt: the first DailyDialog++ test context in DialoGPT's format (turns
// joined by the end-of-sequence token), oldest turns dropped if it would not fit the model's positions. A bare
// onnxruntime loop on the same graph (raw-onnxruntime-causal.ts) is the floor; chat() also runs with operator threads
// that keep spinning after a run (sessionOptions), onnxruntime's default. --isolated times each variant in processes of its own
// (harness/isolated.ts: up to 5 rounds of one process per variant), so that no session's threads compete with
// another's.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  pipeline,
  type Tensor,
} from '@huggingface/transformers';
import { chat, chatPrompt, chatStream, disposeTextModels, type ChatMessage } from '@attn/nlp';
import { modelsRoot } from '@attn/models';
import { loadTokenizer, openModelFolder } from '@attn/core-attention/runtime';
import { sharedDataPath } from '@attn/core-attention/testing';
import { readFileSync } from 'node:fs';
import { formatTable, isIsolatedChild, measureVariants, type Variant } from './harness/index.js';
import { rawGreedyContinuer } from './raw-onnxruntime-causal.js';
import { spinningAfterRuns } from './thread-settings.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: resolve(modelsRoot, 'chat-dailydialog') },
    tokens: { type: 'string', default: '32' },
    runs: { type: 'string', default: '10' },
    isolated: { type: 'boolean', default: false },
  },
});
const folder = resolve(values.model);
const tokens = Number(values.tokens);
const runs = Number(values.runs);

const modelFolder = await openModelFolder(folder);
const tokenizer = await loadTokenizer(modelFolder);
const positions = Number(
  modelFolder.config['n_positions'] ?? modelFolder.config['max_position_embeddings'],
);
const firstLine = readFileSync(sharedDataPath('dailydialog-plusplus/test.json'), 'utf8').split(
  '\n',
)[0] as string;
const turns = (JSON.parse(firstLine) as { context: string[] }).context;
const all: ChatMessage[] = turns.map((content, index) => ({
  role: (turns.length - 1 - index) % 2 === 0 ? 'user' : 'assistant',
  content,
}));
const prompt = chatPrompt(tokenizer, all, positions - tokens);
const messages = all.slice(prompt.omittedTurns);
const eosText = tokenizer.idToToken(prompt.ids.at(-1) as number) as string;
const promptText = messages.map((message) => message.content + eosText).join('');

env.allowRemoteModels = false;
const peer = await pipeline('text-generation', folder, { dtype: 'fp32' });
const peerOptions = {
  max_new_tokens: tokens,
  min_new_tokens: tokens,
  do_sample: false,
  return_full_text: false,
};
const ours = { model: folder, maxNewTokens: tokens, minNewTokens: tokens };

const raw = await rawGreedyContinuer(folder);
const eos = [Number(modelFolder.config['eos_token_id'])];

// the same prompt ids and the same greedy tokens, checked once (not again in the children of --isolated)
const checkIds = async (): Promise<string> => {
  const peerTokenizer = await AutoTokenizer.from_pretrained(folder);
  const peerModel = await AutoModelForCausalLM.from_pretrained(folder, { dtype: 'fp32' });
  const peerInputs = peerTokenizer(promptText);
  const peerIds = Array.from((peerInputs.input_ids as Tensor).data as BigInt64Array, Number);
  const peerOutput = Array.from(
    ((await peerModel.generate({ ...peerInputs, ...peerOptions })) as Tensor).data as BigInt64Array,
    Number,
  ).slice(peerIds.length);
  const ourReply = await chat(messages, { ...ours, attention: false });
  const ourIds = ourReply.replyTokens.map((token) => tokenizer.tokenToId(token));
  const rawIds = await raw(prompt.ids, tokens, eos);
  await peerModel.dispose();
  return (
    `same prompt ids as transformers.js: ${JSON.stringify(peerIds) === JSON.stringify(prompt.ids)}; ` +
    `same generated ids: ${JSON.stringify(peerOutput) === JSON.stringify(ourIds)}; ` +
    `raw loop's ids the same: ${JSON.stringify(rawIds) === JSON.stringify(ourIds)}`
  );
};
if (!isIsolatedChild())
  console.log(
    `model ${folder}; prompt ${prompt.ids.length} tokens (${messages.length} turns), ${tokens} new tokens, greedy; ` +
      `median of ${runs} runs${values.isolated ? ', each variant in processes of its own' : ', all in one process'}\n  ${await checkIds()}`,
  );

const streamed = async (): Promise<void> => {
  for await (const event of chatStream(messages, { ...ours, attention: false })) void event;
};
// Variants alternate round by round, so load from other jobs falls on all of them alike.
const variants: Variant[] = [
  { name: 'attn chat() (attention on)', task: () => chat(messages, ours), unitsPerRun: tokens },
  {
    name: 'attn chat() (attention off)',
    task: () => chat(messages, { ...ours, attention: false }),
    unitsPerRun: tokens,
  },
  { name: 'attn chatStream() (attention off)', task: streamed, unitsPerRun: tokens },
  {
    name: 'attn chat() (attention off, threads spinning after runs)',
    task: () => chat(messages, { ...ours, attention: false, sessionOptions: spinningAfterRuns }),
    unitsPerRun: tokens,
  },
  {
    name: 'transformers.js text-generation',
    task: () => peer(promptText, peerOptions as never),
    unitsPerRun: tokens,
  },
  {
    name: 'raw onnxruntime (floor)',
    task: () => raw(prompt.ids, tokens, eos),
    unitsPerRun: tokens,
  },
];
const results = await measureVariants('chat', variants, {
  warmup: values.isolated ? 3 : 1,
  runs,
  isolated: values.isolated,
});
console.log(
  formatTable('chat generation', results, {
    baseline: 'transformers.js text-generation',
    unit: 'tokens',
  }),
);
await disposeTextModels();
