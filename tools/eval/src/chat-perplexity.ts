// `pnpm --filter @attn/eval exec tsx src/chat-perplexity.ts [--model attn/chat-dailydialog] [--splits DIR] [--limit N]
// [--max-new-tokens 40]`: the dialogue model on the held-out test split of DailyDialog++ that the zoo recipe wrote
// (DailyDialog++ has no training set, so tools/model-zoo/recipes/chat_dailydialog.py pools dev and test and splits
// them by dialogue into DIR/{train,val,test}.jsonl, default tools/model-zoo/work/chat-dailydialog; JSON lines
// {context: [turns], positive_responses: [5 human replies]}):
// - perplexity of the first human reply given its context, per token (the closing end-of-sequence token included),
//   the prompt in chat()'s format (chatPrompt: turns separated by end-of-sequence), teacher-forced through the ONNX
//   model (CausalLanguageModel.scoreContinuation); against a unigram model with add-one smoothing fitted on the train
//   split's turns and replies in the same tokens, which ignores the context;
// - distinct-1/2 (distinct-n.ts) of chat()'s greedy replies, beside the same numbers for the human replies.
// The model card's numbers (tools/model-zoo/evaluate.py chat-dailydialog) measure the same examples the same way.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryRoot } from '@attn/core-attention/testing';
import { CausalLanguageModel, loadTokenizer, openModelFolder } from '@attn/core-attention/runtime';
import { chat, chatPrompt, disposeTextModels, type ChatMessage } from '@attn/nlp';
import { distinctN } from './distinct-n.js';
import { readJsonLines } from './read-json-lines.js';
import { unigramModel } from './unigram-model.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'attn/chat-dailydialog' },
    splits: {
      type: 'string',
      default: join(repositoryRoot(), 'tools/model-zoo/work/chat-dailydialog'),
    },
    limit: { type: 'string' },
    'max-new-tokens': { type: 'string', default: '40' },
  },
});
const limit = values.limit === undefined ? undefined : Number(values.limit);

interface Dialogue {
  context: string[];
  positive_responses: string[];
}
const checkDialogue = (item: unknown): Dialogue => {
  const { context, positive_responses: responses } = (item ?? {}) as Partial<Dialogue>;
  if (
    !Array.isArray(context) ||
    context.length === 0 ||
    !Array.isArray(responses) ||
    responses.length === 0
  )
    throw new Error('expected {"context": [string, …], "positive_responses": [string, …]}');
  return { context, positive_responses: responses };
};
const splitFile = (split: string): string => {
  const file = join(values.splits, `${split}.jsonl`);
  if (!existsSync(file))
    throw new Error(
      `chat-perplexity: ${file} not found; write the split with ` +
        '`/usr/bin/python3 tools/model-zoo/train.py chat-dailydialog --prepare-only` (or pass --splits DIR)',
    );
  return file;
};
const test = readJsonLines(splitFile('test'), checkDialogue).slice(0, limit);
const train = readJsonLines(splitFile('train'), checkDialogue);

// the last context turn is the user's; roles alternate backwards from it (they are not written into the prompt)
const asMessages = (turns: readonly string[]): ChatMessage[] =>
  turns.map((content, index) => ({
    role: (turns.length - 1 - index) % 2 === 0 ? 'user' : 'assistant',
    content,
  }));

const folder = await openModelFolder(values.model, {
  modelsRoot: join(repositoryRoot(), 'models'),
});
const tokenizer = await loadTokenizer(folder);
const model = await CausalLanguageModel.load(folder);
const eos = tokenizer.specialTokenId('eos_token') ?? (folder.config['eos_token_id'] as number);
const positions = Number(
  folder.config['n_positions'] ?? folder.config['max_position_embeddings'] ?? 1024,
);
const utterance = (text: string): number[] => [
  ...tokenizer.encode(text, { addSpecialTokens: false }).ids,
  eos,
];

const unigram = unigramModel(
  train.flatMap((item) => [...item.context, ...item.positive_responses].map(utterance)),
  Number(folder.config['vocab_size']),
);
let modelNll = 0;
let unigramNll = 0;
let tokens = 0;
const started = performance.now();
for (const item of test) {
  const reply = utterance(item.positive_responses[0] as string).slice(0, positions - 1);
  const prompt = chatPrompt(tokenizer, asMessages(item.context), positions - reply.length, eos);
  const logProbabilities = await model.scoreContinuation(prompt.ids, reply);
  modelNll -= logProbabilities.reduce((sum, value) => sum + value, 0);
  unigramNll -= reply.reduce((sum, id) => sum + unigram(id), 0);
  tokens += reply.length;
}
const modelPerplexity = Math.exp(modelNll / tokens);
const unigramPerplexity = Math.exp(unigramNll / tokens);
console.log(
  `DailyDialog++ test split (${values.splits}), ${test.length} contexts, ${tokens} reply tokens, model ${values.model} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
);
console.log(
  `  perplexity of the first human reply: model ${modelPerplexity.toFixed(2)}, unigram baseline (train split, add-one) ` +
    `${unigramPerplexity.toFixed(2)}, ratio ${(modelPerplexity / unigramPerplexity).toFixed(3)}`,
);

const replies: string[] = [];
for (const item of test) {
  const result = await chat(asMessages(item.context), {
    model: values.model,
    maxNewTokens: Number(values['max-new-tokens']),
    attention: false,
  });
  replies.push(result.reply);
}
const humans = test.map((item) => item.positive_responses[0] as string);
console.log(
  `  distinct-1 / distinct-2: greedy replies ${distinctN(replies, 1).toFixed(3)} / ${distinctN(replies, 2).toFixed(3)}, ` +
    `human replies ${distinctN(humans, 1).toFixed(3)} / ${distinctN(humans, 2).toFixed(3)}`,
);
await model.dispose();
await disposeTextModels();
