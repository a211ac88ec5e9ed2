// chat() and chatStream(): the next turn of a conversation from a dialogue model, with the attention mass the
// reply put on each earlier turn. Prompt in DialoGPT's format (turns separated by the end-of-sequence token);
// runs any gpt2-style decoder-only model in the Optimum layout; attn/chat-dailydialog by default.
import {
  AttnError,
  createAttentionMaps,
  describeValue,
  invalidArgument,
  type AttentionMaps,
} from '@attn/core-attention';
import {
  sequenceAttention,
  type CausalGeneration,
  type CausalLanguageModel,
  type FinishReason,
  type GenerationRequest,
  type AttentionStepResult,
  type TextTokenizer,
} from '@attn/core-attention/runtime';
import { chatPrompt, validateMessages, type ChatMessage, type ChatPrompt } from './chat-prompt.js';
import { pickDefined } from './pick-defined.js';
import { loadTextModel, type ModelSource } from './text-model.js';
import { turnAttention } from './turn-attention.js';

/** The model used when `model` is not given. */
export const defaultChatModel = 'attn/chat-dailydialog';
export const chatTypes = [
  'gpt2',
  'gpt_neo',
  'gpt_neox',
  'gptj',
  'gpt_bigcode',
  'codegen',
  'opt',
  'bloom',
];

export interface ChatOptions extends ModelSource {
  /** Longest reply in tokens. Default generation_config.json's max_new_tokens, else 64. */
  maxNewTokens?: number;
  /** Shortest reply in tokens (end-of-sequence is suppressed until then). Default 0. */
  minNewTokens?: number;
  /** Sample instead of taking the most likely token (greedy). Default from generation_config.json, else false. */
  doSample?: boolean;
  /** Sampling temperature (> 0). Default 1. */
  temperature?: number;
  /** Sample among the k most likely tokens (0: all). Default 50. */
  topK?: number;
  /** Sample among the most likely tokens holding this probability mass. Default 1. */
  topP?: number;
  /** Seed of the sampler, so a sampled reply can be repeated. */
  seed?: number;
  /** Penalise tokens already in the conversation (> 1 discourages). Default 1. */
  repetitionPenalty?: number;
  /** Never repeat an n-gram of this size (0: off). Default 0. */
  noRepeatNgramSize?: number;
  /** Beam width (greedy or sampling when 1). Default 1. */
  numBeams?: number;
  /** Return the self-attention and turnAttention. false runs the model untapped. Default true. */
  attention?: boolean;
  signal?: AbortSignal;
}

/** A reply and where it looked. */
export interface ChatReply {
  reply: string;
  /** The generated tokens, ending with the end-of-sequence token when the model produced one. */
  replyTokens: string[];
  /** 'eos' when the model ended its turn, 'max_length' when maxNewTokens cut it. */
  finishReason: FinishReason;
  /**
   * Per message: the share of the reply's attention to the conversation that fell on it (the decoder self-attention
   * rows that produced reply tokens, layers and heads averaged, summed per turn); weights sum to 1, omitted turns
   * get 0. Empty when attention is off.
   */
  turnAttention: { turn: number; role: ChatMessage['role']; weight: number }[];
  /** Decoder self-attention [layer, head, position, position] over prompt and reply; undefined when attention is off. */
  attention: AttentionMaps | undefined;
  /** What was adjusted (turns left out to fit the model's positions). */
  warnings: string[];
}

/** What {@link chatStream} yields: text as it is generated, then the whole reply. */
export type ChatStreamEvent = { kind: 'delta'; text: string } | { kind: 'done'; result: ChatReply };

/**
 * Generates the next turn of `messages`.
 *
 * The prompt is every message's content followed by the model's end-of-sequence token (DialoGPT's format); roles
 * are not written, so a system message is one more turn. A conversation longer than the model's positions (minus
 * maxNewTokens) loses its oldest turns, with a warning.
 *
 * @example
 * ```ts
 * const result = await chat([
 *   { role: 'user', content: 'Do you like the new teacher?' },
 *   { role: 'assistant', content: 'Yes, she is very kind.' },
 *   { role: 'user', content: 'What does she teach?' },
 * ]);
 * result.reply; // "I don't know."
 * result.turnAttention; // [{ turn: 0, role: 'user', weight: 0.190… }, { turn: 1, role: 'assistant', weight: 0.319… }, { turn: 2, role: 'user', weight: 0.491… }]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for messages in the wrong shape (naming the index and field) or bad options;
 * MODEL_NOT_FOUND for an unknown model; UNSUPPORTED for a model that is not a decoder-only language model;
 * ABORTED when `signal` fires.
 */
export async function chat(
  messages: readonly ChatMessage[],
  options: ChatOptions = {},
): Promise<ChatReply> {
  const { model, tokenizer, prompt, request, withAttention } = await prepareChat(
    'chat',
    messages,
    options,
  );
  const run = await model.generate([prompt.ids], request);
  return describeReply(messages, prompt, run, tokenizer, withAttention);
}

/**
 * {@link chat}, streamed: yields `{ kind: 'delta', text }` as tokens arrive (text whose characters are complete;
 * the deltas concatenate to the reply), then `{ kind: 'done', result }`. Beam search yields the whole reply at
 * the end. Leaving the loop early stops generation.
 *
 * @example
 * ```ts
 * for await (const event of chatStream([{ role: 'user', content: 'Hi!' }])) {
 *   if (event.kind === 'delta') process.stdout.write(event.text);
 *   else console.log(event.result.turnAttention);
 * }
 * ```
 * @throws {AttnError} as {@link chat}, when the first event is requested.
 */
export async function* chatStream(
  messages: readonly ChatMessage[],
  options: ChatOptions = {},
): AsyncGenerator<ChatStreamEvent, void> {
  const { model, tokenizer, prompt, request, withAttention } = await prepareChat(
    'chatStream',
    messages,
    options,
  );
  const tokens: number[] = [];
  let emitted = '';
  for await (const event of model.stream([prompt.ids], request)) {
    if (event.kind === 'tokens') {
      const token = event.tokens[0];
      if (token === null || token === undefined) continue;
      tokens.push(token);
      const text = tokenizer.decode(tokens); // special tokens (the final eos) decode to nothing
      // hold back text that may still change: an incomplete character, or a decoding that rewrote the past
      if (text.length > emitted.length && text.startsWith(emitted) && !text.endsWith('\uFFFD')) {
        yield { kind: 'delta', text: text.slice(emitted.length) };
        emitted = text;
      }
      continue;
    }
    const result = describeReply(messages, prompt, event.result, tokenizer, withAttention);
    if (result.reply.length > emitted.length && result.reply.startsWith(emitted)) {
      yield { kind: 'delta', text: result.reply.slice(emitted.length) };
    }
    yield { kind: 'done', result };
  }
}

async function prepareChat(
  fn: string,
  messages: readonly ChatMessage[],
  options: ChatOptions,
): Promise<{
  model: CausalLanguageModel;
  tokenizer: TextTokenizer;
  prompt: ChatPrompt;
  request: GenerationRequest<AttentionStepResult>;
  withAttention: boolean;
}> {
  validateMessages(fn, messages);
  if (
    options.maxNewTokens !== undefined &&
    !(Number.isInteger(options.maxNewTokens) && options.maxNewTokens >= 1)
  ) {
    throw invalidArgument(
      fn,
      'options.maxNewTokens',
      'a positive integer',
      describeValue(options.maxNewTokens),
    );
  }
  const withAttention = options.attention ?? true;
  const { model, tokenizer, folder } = await loadTextModel(
    fn,
    options,
    defaultChatModel,
    chatTypes,
    'causal',
    withAttention ? { decoder_self: 'all' } : {},
  );
  const positions = folder.config['n_positions'] ?? folder.config['max_position_embeddings'];
  const maxPositions = typeof positions === 'number' ? positions : 1024;
  const maxNewTokens = Math.min(
    options.maxNewTokens ?? model.defaults.maxNewTokens ?? 64,
    maxPositions - 1,
  );
  const defaultEos = model.defaults.eosTokenId;
  const prompt = chatPrompt(
    tokenizer,
    messages,
    maxPositions - maxNewTokens,
    tokenizer.specialTokenId('eos_token') ??
      (typeof defaultEos === 'number' ? defaultEos : defaultEos?.[0]),
  );
  const request: GenerationRequest<AttentionStepResult> = {
    maxNewTokens,
    ...pickDefined(options, [
      'minNewTokens',
      'doSample',
      'temperature',
      'topK',
      'topP',
      'seed',
      'repetitionPenalty',
      'noRepeatNgramSize',
      'numBeams',
      'signal',
    ]),
  };
  return { model, tokenizer, prompt, request, withAttention };
}

function describeReply(
  messages: readonly ChatMessage[],
  prompt: ChatPrompt,
  run: CausalGeneration,
  tokenizer: TextTokenizer,
  withAttention: boolean,
): ChatReply {
  const sequence = run.sequences[0]![0]!;
  const result: ChatReply = {
    reply: tokenizer.decode(sequence.tokens),
    replyTokens: sequence.tokens.map((id) => tokenizer.idToToken(id) ?? `<${id}>`),
    finishReason: sequence.finishReason,
    turnAttention: [],
    attention: undefined,
    warnings: prompt.warnings,
  };
  if (!withAttention) return result;
  const stitched = sequenceAttention(run.stepResults, sequence, 'decoder_self');
  if (stitched === undefined) {
    throw new AttnError(
      'RUNTIME',
      'chat(): the model returned no self-attention although taps were requested',
    );
  }
  const labels = [...prompt.ids, ...sequence.tokens.slice(0, -1)].map(
    (id) => tokenizer.idToToken(id) ?? `<${id}>`,
  );
  result.attention = createAttentionMaps({
    kind: 'self',
    layers: stitched.layers,
    heads: Array.from({ length: stitched.heads }, (_, head) => head),
    queryLabels: labels,
    keyLabels: labels.slice(0, stitched.keys),
    data: stitched.data,
  });
  // the reply's tokens are produced by the rows from the last prompt position on
  const weights = turnAttention(
    result.attention,
    prompt.turns,
    prompt.ids.length - 1,
    messages.length,
  );
  result.turnAttention = messages.map((message, turn) => ({
    turn,
    role: message.role,
    weight: weights[turn] as number,
  }));
  return result;
}
