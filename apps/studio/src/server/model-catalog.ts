// Which models each task may run: the shipped default (`attn/<name>` under @attn/models) unless the server was
// started with its own choices (`--model translate=attn/mt-en-de --model detect=./tiny-detr`). Requests name a
// model by id and never by path, so a client cannot make the server open any other folder.
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { describeValue, invalidArgument } from '@attn/core-attention';
import {
  studioTasks,
  taskInputKinds,
  type ModelEntry,
  type ModelsResponse,
  type StudioTask,
} from '../api/studio-api.js';
import { HttpError } from './http-error.js';

/**
 * The model each task runs when nothing else is chosen: the defaults of @attn/nlp, @attn/vision and @attn/audio,
 * written out so the server's thread never loads onnxruntime (a test holds them equal).
 *
 * @example
 * ```ts
 * defaultTaskModels.translate; // 'attn/mt-en-de'
 * ```
 */
export const defaultTaskModels: Readonly<Record<StudioTask, string>> = {
  translate: 'attn/mt-en-de',
  summarize: 'attn/sum-captions',
  answer: 'attn/qa-captions',
  chat: 'attn/chat-dailydialog',
  detect: 'attn/detr-shapes',
  segment: 'attn/vit-shapes',
  transcribe: 'attn/whisper-espeak',
};

/** A model a request can name, and where it lives. */
export interface CatalogModel {
  id: string;
  folder: string;
}

/** Per task: its models, the first being its default. */
export type ModelCatalog = Readonly<Record<StudioTask, readonly CatalogModel[]>>;

/**
 * The catalog from the server's choices: per task the given specs (`attn/<name>` or a folder path), or else its
 * default. A folder's id is its name.
 *
 * @example
 * ```ts
 * const catalog = modelCatalog({ detect: ['/fixtures/tiny-detr'] }, '/repo/models/');
 * catalog.detect; // [{ id: 'tiny-detr', folder: '/fixtures/tiny-detr' }]
 * catalog.translate; // [{ id: 'attn/mt-en-de', folder: '/repo/models/mt-en-de' }]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a task the studio does not run, an empty spec, or two models of one task
 * with the same id.
 */
export function modelCatalog(
  choices: Readonly<Partial<Record<string, readonly string[]>>>,
  modelsRoot: string,
): ModelCatalog {
  for (const task of Object.keys(choices)) {
    if (!(studioTasks as readonly string[]).includes(task))
      throw invalidArgument(
        'modelCatalog',
        'choices',
        `tasks among ${studioTasks.join(', ')}`,
        describeValue(task),
      );
  }
  const entries = studioTasks.map((task) => {
    const specs = choices[task] ?? [];
    const models = (specs.length > 0 ? specs : [defaultTaskModels[task]]).map((spec) =>
      catalogModel(spec, modelsRoot),
    );
    const ids = models.map((model) => model.id);
    const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
    if (repeated !== undefined)
      throw invalidArgument(
        'modelCatalog',
        `choices.${task}`,
        'models with distinct ids (folder names)',
        describeValue(repeated),
      );
    return [task, models] as const;
  });
  return Object.fromEntries(entries) as Record<StudioTask, CatalogModel[]>;
}

function catalogModel(spec: string, modelsRoot: string): CatalogModel {
  if (typeof spec !== 'string' || spec.trim() === '')
    throw invalidArgument(
      'modelCatalog',
      'spec',
      "'attn/<name>' or a model folder",
      describeValue(spec),
    );
  if (spec.startsWith('attn/'))
    return { id: spec, folder: join(modelsRoot, spec.slice('attn/'.length)) };
  const folder = resolve(spec);
  return { id: basename(folder), folder };
}

/**
 * The tasks of GET /api/models: every task with its models and whether each is there to run.
 *
 * @example
 * ```ts
 * (await listModels(catalog)).tasks[0];
 * // { task: 'translate', input: 'json', defaultModel: 'attn/mt-en-de', models: [{ id: 'attn/mt-en-de', available: true }] }
 * ```
 * @throws never: a missing or unreadable folder is an unavailable model.
 */
export async function listModels(catalog: ModelCatalog): Promise<Pick<ModelsResponse, 'tasks'>> {
  const tasks = await Promise.all(
    studioTasks.map(async (task) => ({
      task,
      input: taskInputKinds[task],
      defaultModel: catalog[task][0]!.id,
      models: await Promise.all(catalog[task].map((model) => modelEntry(task, model))),
    })),
  );
  return { tasks };
}

async function modelEntry(task: StudioTask, model: CatalogModel): Promise<ModelEntry> {
  const config = await stat(join(model.folder, 'config.json')).catch(() => undefined);
  if (config?.isFile() === true) return { id: model.id, available: true };
  const what = model.id.startsWith('attn/')
    ? `${model.id} is not installed: train it with tools/model-zoo`
    : `the folder of ${model.id} has no config.json`;
  return {
    id: model.id,
    available: false,
    reason: `${what}, or start the studio with --model ${task}=<model folder>`,
  };
}

/**
 * The model a request runs: the one named `id` in the task's catalog (its default when `id` is undefined), after
 * checking that its folder is there.
 *
 * @example
 * ```ts
 * await resolveModel(catalog, 'translate', undefined); // { id: 'attn/mt-en-de', folder: '/repo/models/mt-en-de' }
 * ```
 * @throws {HttpError} 404 MODEL_NOT_FOUND when the task has no model `id`, or its folder is missing.
 */
export async function resolveModel(
  catalog: ModelCatalog,
  task: StudioTask,
  id: string | undefined,
): Promise<CatalogModel> {
  const models = catalog[task];
  const model = id === undefined ? models[0]! : models.find((candidate) => candidate.id === id);
  if (model === undefined) {
    throw new HttpError(
      404,
      'MODEL_NOT_FOUND',
      `${task} has no model ${describeValue(id)}. Fix: pick one of ${models.map((candidate) => candidate.id).join(', ')} (GET /api/models lists them)`,
    );
  }
  const entry = await modelEntry(task, model);
  if (!entry.available)
    throw new HttpError(404, 'MODEL_NOT_FOUND', `${task}: ${entry.reason ?? model.id}`);
  return model;
}
