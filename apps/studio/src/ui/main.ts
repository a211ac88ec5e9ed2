// The studio's page: pick a task and a model, give it text or a file, run it, and explore the result's attention.
// Vanilla TypeScript over the DOM; every request goes to the studio server's JSON API.
import {
  studioTasks,
  type ModelsResponse,
  type StudioTask,
  type TaskResult,
} from '../api/studio-api.js';
import { element } from './dom.js';
import { fetchModels, runTask, StudioRequestError, type RunBody } from './studio-client.js';
import { answerView } from './views/answer-view.js';
import { chatView } from './views/chat-view.js';
import { detectView } from './views/detect-view.js';
import { segmentView } from './views/segment-view.js';
import { summarizeView } from './views/summarize-view.js';
import { transcribeView } from './views/transcribe-view.js';
import { translateView } from './views/translate-view.js';

const byId = <Type extends HTMLElement>(id: string): Type => document.getElementById(id) as Type;
const form = byId<HTMLFormElement>('run-form');
const taskSelect = byId<HTMLSelectElement>('task');
const modelSelect = byId<HTMLSelectElement>('model');
const modelNote = byId<HTMLParagraphElement>('model-note');
const fileInput = byId<HTMLInputElement>('file');
const fileLabel = byId<HTMLLabelElement>('file-label');
const runButton = byId<HTMLButtonElement>('run');
const status = byId<HTMLParagraphElement>('status');
const errorLine = byId<HTMLParagraphElement>('error');
const resultSection = byId<HTMLElement>('result');

const fileKinds = {
  detect: {
    label: 'Image (PNG, JPEG, WebP, GIF, TIFF or AVIF)',
    accept: 'image/png,image/jpeg,image/webp,image/gif,image/tiff,image/avif',
  },
  segment: {
    label: 'Image (PNG, JPEG, WebP, GIF, TIFF or AVIF)',
    accept: 'image/png,image/jpeg,image/webp,image/gif,image/tiff,image/avif',
  },
  transcribe: { label: 'Speech as a WAV file', accept: '.wav,audio/wav,audio/x-wav,audio/wave' },
} as const;

let catalog: ModelsResponse | undefined;
let running: AbortController | undefined;
let fileUrl: string | undefined;

function currentTask(): StudioTask {
  return taskSelect.value as StudioTask;
}

function showTask(): void {
  const task = currentTask();
  for (const group of document.querySelectorAll<HTMLElement>('.task-inputs'))
    group.hidden = !(group.dataset['tasks'] ?? '').split(' ').includes(task);
  if (task in fileKinds) {
    const kind = fileKinds[task as keyof typeof fileKinds];
    fileLabel.textContent = kind.label;
    fileInput.accept = kind.accept;
  }
  const entry = catalog?.tasks.find((candidate) => candidate.task === task);
  modelSelect.replaceChildren(
    ...(entry?.models ?? []).map((model) =>
      element(
        'option',
        { value: model.id, disabled: !model.available, selected: model.id === entry?.defaultModel },
        [model.available ? model.id : `${model.id} (not installed)`],
      ),
    ),
  );
  const missing = entry?.models.filter((model) => !model.available) ?? [];
  modelNote.hidden = missing.length === 0;
  modelNote.textContent = missing
    .map((model) => model.reason ?? `${model.id} is missing`)
    .join(' ');
  const usable = entry?.models.some((model) => model.available) ?? false;
  runButton.disabled = !usable;
  resultSection.replaceChildren();
  showError(undefined);
}

function showError(message: string | undefined): void {
  errorLine.hidden = message === undefined;
  errorLine.textContent = message ?? '';
}

/** The request of the form as it stands, or a message saying what is missing. */
function requestBody(
  task: StudioTask,
  model: string,
  combine: 'mean' | 'rollout',
): RunBody | string {
  const value = (id: string): string =>
    byId<HTMLInputElement | HTMLTextAreaElement>(id).value.trim();
  switch (task) {
    case 'translate':
    case 'summarize':
      return value('text') === ''
        ? `Type a text to ${task}.`
        : { json: { text: value('text'), model } };
    case 'answer':
      return value('question') === '' || value('context') === ''
        ? 'Type a question and the context to answer it from.'
        : { json: { question: value('question'), context: value('context'), model } };
    case 'chat': {
      const messages = conversation(value('conversation'));
      return messages.length === 0
        ? 'Type at least one turn of the conversation.'
        : { json: { messages, model } };
    }
    default: {
      const file = fileInput.files?.[0];
      if (file === undefined) return `Choose a file: ${fileKinds[task].label}.`;
      const limit = catalog?.limits.maxUploadBytes ?? Infinity;
      if (file.size > limit)
        return `${file.name} is ${(file.size / 1048576).toFixed(1)} MiB; the studio takes files up to ${(limit / 1048576).toFixed(1)} MiB.`;
      const query: Record<string, string> = { model };
      if (task === 'detect') query['threshold'] = value('threshold') || '0.5';
      if (task === 'segment') query['combine'] = combine;
      const type = file.type !== '' ? file.type : task === 'transcribe' ? 'audio/wav' : 'image/png';
      return { file: new Blob([file], { type }), query };
    }
  }
}

/** One turn per non-empty line, the user's first, then alternating. */
function conversation(text: string): { role: 'user' | 'assistant'; content: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((content, index) => ({ role: index % 2 === 0 ? 'user' : 'assistant', content }));
}

async function run(combine: 'mean' | 'rollout' = 'mean'): Promise<void> {
  const task = currentTask();
  const model = modelSelect.value;
  const body = requestBody(task, model, combine);
  if (typeof body === 'string') {
    showError(body);
    return;
  }
  running?.abort();
  const controller = new AbortController();
  running = controller;
  showError(undefined);
  runButton.setAttribute('aria-busy', 'true');
  status.textContent = `Running ${task} on ${model}…`;
  const started = performance.now();
  try {
    const result = await runTask(task, body, controller.signal);
    if (controller.signal.aborted) return;
    resultSection.replaceChildren(view(result));
    status.textContent = `${task} on ${result.model}: done in ${Math.round(performance.now() - started)} ms (${result.elapsedMs} ms on the model).`;
  } catch (error) {
    if (controller.signal.aborted) return;
    status.textContent = '';
    const message = error instanceof StudioRequestError ? error.message : String(error);
    const code =
      error instanceof StudioRequestError && error.status > 0
        ? ` (${error.status} ${error.code})`
        : '';
    showError(`${message}${code}`);
  } finally {
    if (running === controller) {
      running = undefined;
      runButton.removeAttribute('aria-busy');
    }
  }
}

function view(result: TaskResult): HTMLElement {
  switch (result.task) {
    case 'translate':
      return translateView(result);
    case 'summarize':
      return summarizeView(result);
    case 'answer':
      return answerView(result);
    case 'chat':
      return chatView(result, conversation(byId<HTMLTextAreaElement>('conversation').value));
    case 'detect':
      return detectView(result, uploadUrl());
    case 'segment':
      return segmentView(result, uploadUrl(), (combine) => void run(combine));
    case 'transcribe':
      return transcribeView(result, uploadUrl());
  }
}

/** A blob: URL of the chosen file, for the image or audio element (the previous one is released). */
function uploadUrl(): string {
  if (fileUrl !== undefined) URL.revokeObjectURL(fileUrl);
  fileUrl = URL.createObjectURL(fileInput.files![0]!);
  return fileUrl;
}

taskSelect.replaceChildren(
  ...studioTasks.map((task) => element('option', { value: task }, [task])),
);
taskSelect.addEventListener('change', showTask);
fileInput.addEventListener('change', () => resultSection.replaceChildren());
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void run();
});
showTask();
fetchModels().then(
  (models) => {
    catalog = models;
    showTask();
    document.body.dataset['ready'] = 'true';
  },
  (error: unknown) => showError(`Could not load the model list: ${(error as Error).message}`),
);
