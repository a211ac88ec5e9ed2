// `attn models`: the models this install ships (@attn/models, one Hugging Face-layout folder each) with the
// commands that use them, their size and their model card's headline; the defaults not shipped yet; and the
// Hugging Face hub cache that --model <hub id> downloads into.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command, Invocation } from '../command.js';
import { defaultModels } from '../default-models.js';
import { flagOption } from '../input/option-values.js';
import { terminalStyle } from '../terminal/terminal-style.js';

const name = 'models';

/**
 * `attn models`.
 *
 * @example
 * ```ts
 * await runCli(['models'], io); // 0; prints 'Shipped models (…)' and the hub cache
 * ```
 */
export const modelsCommand: Command = {
  name,
  summary: 'list the shipped models and the Hugging Face hub cache',
  usage: ['attn models [--json]'],
  description: [
    'Shipped models run offline and are named attn/<name>; each pipeline command uses one by default. The hub\n' +
      'cache (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub) holds models fetched by hub id.',
  ],
  options: { json: { type: 'boolean', description: 'print the lists as JSON' } },
  json: [
    '{ modelsRoot, shipped: [{ id, installed, commands, modelType, sizeBytes, headline, path }],',
    '  hubCache: { dir, models: [{ id, sizeBytes, revisions }] } }',
  ],
  examples: ['attn models', 'attn models --json'],
  positionals: false,
  run: runModels,
};

/** One shipped model, or a default that is not shipped (installed false). */
interface ShippedModel {
  id: string;
  installed: boolean;
  /** The commands that use it by default. */
  commands: string[];
  modelType: string | undefined;
  sizeBytes: number;
  /** The first heading of its MODEL_CARD.md. */
  headline: string | undefined;
  path: string | undefined;
}

async function runModels({ values, io }: Invocation): Promise<void> {
  const { modelsRoot } = await import('@attn/models');
  const { defaultHubCacheDir } = await import('@attn/core-attention/runtime');
  const shipped = await shippedModels(modelsRoot);
  const hubDir = defaultHubCacheDir(io.env);
  const hubCache = { dir: hubDir, models: await cachedModels(hubDir) };
  if (flagOption(values, 'json')) {
    io.stdout.write(`${JSON.stringify({ modelsRoot, shipped, hubCache }, null, 2)}\n`);
    return;
  }
  const style = terminalStyle(io.stdout, io.env);
  const idWidth = Math.max(...shipped.map((model) => model.id.length)) + 2;
  const lines = [style.bold(`Shipped models (${modelsRoot})`)];
  for (const model of shipped) {
    const commands = (model.commands.join(', ') || '-').padEnd(12);
    lines.push(
      model.installed
        ? `  ${model.id.padEnd(idWidth)}${commands}${(model.modelType ?? '?').padEnd(9)}${formatSize(model.sizeBytes).padStart(9)}  ${model.headline ?? ''}`
        : style.dim(
            `  ${model.id.padEnd(idWidth)}${commands}not installed: train it with tools/model-zoo, or pass --model`,
          ),
    );
  }
  lines.push('', style.bold(`Hugging Face hub cache (${hubDir})`));
  if (hubCache.models.length === 0) lines.push('  (empty)');
  for (const model of hubCache.models)
    lines.push(
      `  ${model.id.padEnd(40)}${formatSize(model.sizeBytes).padStart(9)}  ${model.revisions} revision${model.revisions === 1 ? '' : 's'}`,
    );
  io.stdout.write(`${lines.join('\n')}\n`);
}

async function shippedModels(modelsRoot: string): Promise<ShippedModel[]> {
  const entries = await readdir(modelsRoot, { withFileTypes: true }).catch(() => []);
  const folders = entries
    .filter(
      (entry) =>
        entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules',
    )
    .map((entry) => entry.name)
    .sort();
  const commandsOf = (id: string): string[] =>
    Object.entries(defaultModels).flatMap(([command, model]) => (model === id ? [command] : []));
  const installed = await Promise.all(
    folders.map(async (folder): Promise<ShippedModel> => {
      const path = join(modelsRoot, folder);
      const config = await readFile(join(path, 'config.json'), 'utf8').then(
        (text) => JSON.parse(text) as { model_type?: unknown },
        () => undefined,
      );
      const card = await readFile(join(path, 'MODEL_CARD.md'), 'utf8').catch(() => '');
      return {
        id: `attn/${folder}`,
        installed: true,
        commands: commandsOf(`attn/${folder}`),
        modelType: typeof config?.model_type === 'string' ? config.model_type : undefined,
        sizeBytes: await folderSize(path),
        headline: /^#\s+(.+)$/m.exec(card)?.[1]?.trim(),
        path,
      };
    }),
  );
  const missing = [...new Set(Object.values(defaultModels))]
    .filter((id) => !installed.some((model) => model.id === id))
    .map((id) => ({
      id,
      installed: false,
      commands: commandsOf(id),
      modelType: undefined,
      sizeBytes: 0,
      headline: undefined,
      path: undefined,
    }));
  return [...installed, ...missing];
}

/** Repositories in the huggingface_hub cache layout: models--<org>--<name>/{blobs, snapshots/<commit>}. */
async function cachedModels(
  cacheDir: string,
): Promise<{ id: string; sizeBytes: number; revisions: number }[]> {
  const entries = await readdir(cacheDir, { withFileTypes: true }).catch(() => []);
  const repositories = entries.filter(
    (entry) => entry.isDirectory() && entry.name.startsWith('models--'),
  );
  return Promise.all(
    repositories.map(async (entry) => {
      const folder = join(cacheDir, entry.name);
      const snapshots = await readdir(join(folder, 'snapshots')).catch(() => []);
      return {
        id: entry.name.slice('models--'.length).split('--').join('/'),
        sizeBytes: await folderSize(join(folder, 'blobs')),
        revisions: snapshots.length,
      };
    }),
  );
}

/** Bytes of the regular files under `folder` (symbolic links are not followed); 0 when it does not exist. */
async function folderSize(folder: string): Promise<number> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => []);
  let total = 0;
  for (const entry of entries)
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  for (; value >= 1000 && unit < units.length - 1; unit++) value /= 1000;
  return `${value.toFixed(1)} ${units[unit]}`;
}
