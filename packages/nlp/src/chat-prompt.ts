// The prompt of a dialogue model in DialoGPT's format (Zhang et al. 2020): every turn's text followed by the
// end-of-sequence token, concatenated; the model continues with the next turn. Roles are not written into the
// prompt (DialoGPT has none), so a system message is read as one more turn.
import { AttnError, describeValue, invalidArgument } from '@attn/core-attention';
import type { TextTokenizer } from '@attn/core-attention/runtime';

/** One turn of a conversation. */
export interface ChatMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

/** A conversation as model input. */
export interface ChatPrompt {
  ids: number[];
  /** Per prompt token: the index of the message it belongs to (its separator included). */
  turns: number[];
  /** Messages left out, oldest first, because the prompt would not fit (see {@link chatPrompt}). */
  omittedTurns: number;
  warnings: string[];
}

const roles: readonly string[] = ['user', 'assistant', 'system'];

/**
 * Checks `messages`, naming the first bad index and field.
 *
 * @example
 * ```ts
 * validateMessages('chat', [{ role: 'user', content: 'Hi' }, { role: 'bot', content: 'Hello' }]);
 * // throws "chat(): messages[1].role must be 'user', 'assistant' or 'system', got 'bot'."
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `messages` is not a non-empty array of { role, content } with a known
 * role and a non-empty string content.
 */
export function validateMessages(
  fn: string,
  messages: unknown,
): asserts messages is readonly ChatMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalidArgument(
      fn,
      'messages',
      'a non-empty array of { role, content }',
      describeValue(messages),
    );
  }
  messages.forEach((message: unknown, index) => {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw invalidArgument(
        fn,
        `messages[${index}]`,
        'an object { role, content }',
        describeValue(message),
      );
    }
    const { role, content } = message as Record<string, unknown>;
    if (typeof role !== 'string' || !roles.includes(role)) {
      throw invalidArgument(
        fn,
        `messages[${index}].role`,
        "'user', 'assistant' or 'system'",
        describeValue(role),
      );
    }
    if (typeof content !== 'string' || content.trim() === '') {
      throw invalidArgument(
        fn,
        `messages[${index}].content`,
        'a non-empty string',
        describeValue(content),
      );
    }
  });
}

/**
 * Encodes `messages` as `turn₀ <eos> turn₁ <eos> …`. When that is longer than `maxPromptTokens`, the oldest turns
 * are left out, and a single turn that is still too long keeps its last tokens; a warning says so.
 *
 * @example
 * ```ts
 * const messages = [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] as const;
 * const prompt = chatPrompt(gpt2Tokenizer, messages, 100, 50256);
 * prompt.ids; // [17250, 50256, 15496, 50256]
 * prompt.turns; // [0, 0, 1, 1]
 * ```
 * @throws {AttnError} MODEL_FORMAT when the tokenizer has no end-of-sequence token.
 */
export function chatPrompt(
  tokenizer: TextTokenizer,
  messages: readonly ChatMessage[],
  maxPromptTokens: number,
  eosTokenId: number | undefined = tokenizer.specialTokenId('eos_token'),
): ChatPrompt {
  if (eosTokenId === undefined) {
    throw new AttnError(
      'MODEL_FORMAT',
      'chatPrompt(): the model has no end-of-sequence token to separate turns with',
      { fix: 'set eos_token in tokenizer_config.json or eos_token_id in config.json' },
    );
  }
  const encoded = messages.map((message) => [
    ...tokenizer.encode(message.content, { addSpecialTokens: false }).ids,
    eosTokenId,
  ]);
  let first = encoded.length - 1;
  let length = (encoded[first] as number[]).length;
  while (first > 0 && length + (encoded[first - 1] as number[]).length <= maxPromptTokens) {
    first--;
    length += (encoded[first] as number[]).length;
  }
  const ids: number[] = [];
  const turns: number[] = [];
  for (let turn = first; turn < encoded.length; turn++) {
    for (const id of encoded[turn] as number[]) {
      ids.push(id);
      turns.push(turn);
    }
  }
  const warnings: string[] = [];
  if (first > 0) {
    warnings.push(
      `the conversation does not fit the model's positions; its first ${first} message${first === 1 ? ' was' : 's were'} left out`,
    );
  }
  if (ids.length > maxPromptTokens) {
    warnings.push(
      `message ${first} has ${ids.length} tokens; only its last ${maxPromptTokens} fit the model's positions`,
    );
    ids.splice(0, ids.length - maxPromptTokens);
    turns.splice(0, turns.length - maxPromptTokens);
  }
  return { ids, turns, omittedTurns: first, warnings };
}
