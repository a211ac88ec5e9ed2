// What a POST /api/<task> asks for, checked before it is queued: the body's Content-Type against the task (JSON,
// an image file or a WAV), its first bytes against the file type, and every field and option against the limits
// that keep one job small. The worker's pipelines check the rest (a corrupt file past its header, say).
import { AttnError, describeValue, invalidArgument } from '@attn/core-attention';
import {
  audioMediaTypes,
  imageMediaTypes,
  taskInputKinds,
  type StudioTask,
} from '../api/studio-api.js';
import { HttpError } from './http-error.js';

/** A checked request, ready for a worker once its model is resolved. */
export type TaskInput =
  | { task: 'translate'; text: string; numBeams?: number; maxNewTokens?: number }
  | { task: 'summarize'; text: string; numBeams?: number; maxNewTokens?: number }
  | { task: 'answer'; question: string; context: string }
  | {
      task: 'chat';
      messages: { role: 'user' | 'assistant' | 'system'; content: string }[];
      maxNewTokens?: number;
    }
  | { task: 'detect'; image: Uint8Array; threshold: number }
  | { task: 'segment'; image: Uint8Array; combine: 'mean' | 'rollout' }
  | { task: 'transcribe'; audio: Uint8Array; language?: string };

/** The limits on one request's text. */
export const textLimits = { characters: 10_000, messages: 32, beams: 8, newTokens: 256 } as const;

/**
 * Checks that a request's Content-Type is the task's kind of body, before the body is read.
 *
 * @example
 * ```ts
 * expectMediaType('detect', 'image/png'); // passes
 * expectMediaType('detect', 'text/plain'); // throws 415
 * ```
 * @throws {HttpError} 415 UNSUPPORTED_MEDIA_TYPE when it is not (JSON, an image file or a WAV file).
 */
export function expectMediaType(task: StudioTask, contentType: string | undefined): void {
  const kind = taskInputKinds[task];
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const accepted: readonly string[] =
    kind === 'json' ? ['application/json'] : kind === 'image' ? imageMediaTypes : audioMediaTypes;
  if (accepted.includes(mediaType)) return;
  const what = { json: 'a JSON object', image: 'an image file', audio: 'a WAV file' }[kind];
  throw new HttpError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `POST /api/${task} takes ${what} as its body (Content-Type ${accepted.join(', ')}), got ${describeValue(mediaType === '' ? 'none' : mediaType)}`,
  );
}

/**
 * Checks a task's request body (whose Content-Type passed {@link expectMediaType}) and query, and returns its
 * input and the model id it names (undefined: the task's default).
 *
 * @example
 * ```ts
 * const body = new TextEncoder().encode('{"text":"A dog runs.","numBeams":2}');
 * taskInput('translate', body, new URLSearchParams());
 * // { input: { task: 'translate', text: 'A dog runs.', numBeams: 2 }, modelId: undefined }
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for malformed JSON, a missing or bad field or option, or an empty upload;
 * INPUT_FORMAT when an image or WAV upload does not start like one.
 */
export function taskInput(
  task: StudioTask,
  body: Uint8Array,
  query: URLSearchParams,
): { input: TaskInput; modelId: string | undefined } {
  const kind = taskInputKinds[task];
  if (kind === 'json') return jsonInput(task, body);
  if (body.length === 0)
    throw invalidArgument(task, 'the uploaded file', 'a non-empty file', 'an empty body');
  const modelId = query.get('model') ?? undefined;
  if (kind === 'audio') {
    expectFileType(task, body, 'a WAV file', isWav);
    const language = query.get('language') ?? undefined;
    if (language !== undefined && !/^[a-z]{2,3}$/.test(language))
      throw invalidArgument(
        task,
        'language',
        "a language code such as 'en'",
        describeValue(language),
      );
    return {
      input: { task: 'transcribe', audio: body, ...(language === undefined ? {} : { language }) },
      modelId,
    };
  }
  expectFileType(task, body, 'an image (PNG, JPEG, WebP, GIF, TIFF or AVIF)', isImage);
  if (task === 'segment') {
    const combine = query.get('combine') ?? 'mean';
    if (combine !== 'mean' && combine !== 'rollout')
      throw invalidArgument(task, 'combine', "'mean' or 'rollout'", describeValue(combine));
    return { input: { task, image: body, combine }, modelId };
  }
  const threshold = Number(query.get('threshold') ?? 0.5);
  if (!(threshold >= 0 && threshold <= 1))
    throw invalidArgument(
      task,
      'threshold',
      'a number in [0, 1]',
      describeValue(query.get('threshold')),
    );
  return { input: { task: 'detect', image: body, threshold }, modelId };
}

function jsonInput(
  task: StudioTask,
  body: Uint8Array,
): { input: TaskInput; modelId: string | undefined } {
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
  } catch (error) {
    throw invalidArgument(
      task,
      'the body',
      'JSON',
      `text that does not parse (${(error as Error).message})`,
    );
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw invalidArgument(task, 'the body', 'a JSON object', describeValue(fields));
  const modelId = optional(
    fields,
    'model',
    (value): value is string => typeof value === 'string',
    task,
    'a model id',
  );
  const newTokens = (): { maxNewTokens?: number } => {
    const value = integerField(task, fields, 'maxNewTokens', textLimits.newTokens);
    return value === undefined ? {} : { maxNewTokens: value };
  };
  const beams = (): { numBeams?: number } => {
    const value = integerField(task, fields, 'numBeams', textLimits.beams);
    return value === undefined ? {} : { numBeams: value };
  };
  switch (task) {
    case 'translate':
    case 'summarize':
      return {
        input: { task, text: textField(task, fields, 'text'), ...beams(), ...newTokens() },
        modelId,
      };
    case 'answer':
      return {
        input: {
          task,
          question: textField(task, fields, 'question'),
          context: textField(task, fields, 'context'),
        },
        modelId,
      };
    default:
      return {
        input: { task: 'chat', messages: chatMessages(fields['messages']), ...newTokens() },
        modelId,
      };
  }
}

function textField(task: string, fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value.trim() === '' || value.length > textLimits.characters)
    throw invalidArgument(
      task,
      name,
      `a non-empty string of at most ${textLimits.characters} characters`,
      describeValue(value),
    );
  return value;
}

function integerField(
  task: string,
  fields: Record<string, unknown>,
  name: string,
  max: number,
): number | undefined {
  return optional(
    fields,
    name,
    (value): value is number =>
      Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max,
    task,
    `an integer in [1, ${max}]`,
  );
}

function optional<Value>(
  fields: Record<string, unknown>,
  name: string,
  valid: (value: unknown) => value is Value,
  task: string,
  expected: string,
): Value | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (!valid(value)) throw invalidArgument(task, name, expected, describeValue(value));
  return value;
}

function chatMessages(
  value: unknown,
): { role: 'user' | 'assistant' | 'system'; content: string }[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > textLimits.messages)
    throw invalidArgument(
      'chat',
      'messages',
      `an array of 1 to ${textLimits.messages} messages`,
      describeValue(value),
    );
  return value.map((message: unknown, index) => {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    if (role !== 'user' && role !== 'assistant' && role !== 'system')
      throw invalidArgument(
        'chat',
        `messages[${index}].role`,
        "'user', 'assistant' or 'system'",
        describeValue(role),
      );
    if (
      typeof content !== 'string' ||
      content.trim() === '' ||
      content.length > textLimits.characters
    )
      throw invalidArgument(
        'chat',
        `messages[${index}].content`,
        `a non-empty string of at most ${textLimits.characters} characters`,
        describeValue(content),
      );
    return { role, content };
  });
}

function expectFileType(
  task: string,
  body: Uint8Array,
  what: string,
  matches: (ascii: string) => boolean,
): void {
  const head = String.fromCharCode(...body.subarray(0, 12));
  if (matches(head)) return;
  throw new AttnError(
    'INPUT_FORMAT',
    `${task}(): the uploaded file is not ${what}: it starts with ${describeValue(printable(head))}`,
    {
      likelyCause: 'a file of another type was picked, or the file is corrupt',
      fix: `upload ${what}`,
    },
  );
}

function isImage(head: string): boolean {
  return (
    head.startsWith('\x89PNG') ||
    head.startsWith('\xff\xd8\xff') ||
    head.startsWith('GIF8') ||
    (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') ||
    head.startsWith('II*\x00') ||
    head.startsWith('MM\x00*') ||
    head.slice(4, 8) === 'ftyp'
  );
}

function isWav(head: string): boolean {
  return ['RIFF', 'RIFX', 'RF64'].includes(head.slice(0, 4)) && head.slice(8, 12) === 'WAVE';
}

/** The first bytes with anything unprintable as '.', for a message. */
function printable(head: string): string {
  return head.replace(/[^\x20-\x7e]/g, '.');
}
