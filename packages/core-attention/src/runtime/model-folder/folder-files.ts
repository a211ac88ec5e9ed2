// Files of a model folder, wherever it lives: a local folder, or a Hugging Face Hub repository whose files are
// fetched on first use through the hub client (and cached in the huggingface_hub layout).
import { access, readdir } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { AttnError, describeValue, invalidArgument } from '../../errors/index.js';
import { hubFile, type HubOptions } from '../hub/index.js';

/** Access to the files of one model folder. */
export interface FolderFiles {
  /** The folder, or `hub:org/name@revision`, for messages. */
  readonly location: string;
  /**
   * Absolute local path of the file `name` (relative, `/`-separated), downloading it for a hub source.
   * @throws {AttnError} FILE_NOT_FOUND, listing what the folder holds when it can be listed.
   */
  path(name: string): Promise<string>;
  /** The files the folder holds (relative paths, `onnx/` included), or undefined when it cannot be listed. */
  list(): Promise<string[] | undefined>;
}

/**
 * The files of a local folder.
 *
 * @example
 * ```ts
 * await localFiles('/models/mt-en-de').path('config.json'); // '/models/mt-en-de/config.json'
 * await localFiles('/models/mt-en-de').list(); // ['config.json', 'onnx/encoder_model.onnx', …]
 * ```
 */
export function localFiles(folder: string): FolderFiles {
  const list = async (): Promise<string[]> => {
    const top = await readdir(folder, { withFileTypes: true }).catch(() => []);
    const names: string[] = [];
    for (const entry of top) {
      if (entry.name.startsWith('.')) continue;
      if (!entry.isDirectory()) names.push(entry.name);
      else
        for (const inner of await readdir(join(folder, entry.name)).catch(() => []))
          names.push(`${entry.name}/${inner}`);
    }
    return names.sort();
  };
  return {
    location: folder,
    list,
    async path(name) {
      const path = join(folder, checkedName(name));
      if (
        await access(path).then(
          () => true,
          () => false,
        )
      )
        return path;
      throw missingFile(name, folder, await list());
    },
  };
}

/**
 * The files of a Hugging Face Hub repository, fetched (and cached) on first use.
 *
 * @example
 * ```ts
 * const files = hubFiles('Xenova/opus-mt-en-de', { revision: 'main' });
 * await files.path('onnx/encoder_model.onnx'); // '~/.cache/huggingface/hub/models--Xenova--opus-mt-en-de/snapshots/<commit>/onnx/encoder_model.onnx'
 * ```
 */
export function hubFiles(repoId: string, options: HubOptions = {}): FolderFiles {
  return {
    location: `hub:${repoId}@${options.revision ?? 'main'}`,
    list: async () => undefined,
    path: async (name) => hubFile(repoId, checkedName(name), options),
  };
}

/**
 * The FILE_NOT_FOUND error for `name` in `location`, listing the folder's files.
 *
 * @example
 * ```ts
 * missingFile('config.json', '/models/x', ['onnx/model.onnx']).message;
 * // 'openModelFolder(): /models/x has no config.json; it holds: onnx/model.onnx. Fix: …'
 * ```
 */
export function missingFile(
  name: string,
  location: string,
  files: readonly string[] | undefined,
  fix?: string,
): AttnError {
  const holds =
    files === undefined ? '' : `; it holds: ${files.length === 0 ? 'nothing' : files.join(', ')}`;
  return new AttnError('FILE_NOT_FOUND', `openModelFolder(): ${location} has no ${name}${holds}`, {
    fix:
      fix ??
      'point at a folder in the Hugging Face ONNX layout (config.json, onnx/*.onnx), or export the model with Optimum',
  });
}

function checkedName(name: string): string {
  const normalized = typeof name === 'string' ? normalize(name) : '';
  if (
    name === '' ||
    typeof name !== 'string' ||
    isAbsolute(name) ||
    normalized.split(sep).includes('..')
  ) {
    throw invalidArgument(
      'ModelFolder.filePath',
      'name',
      'a relative path inside the model folder',
      describeValue(name),
    );
  }
  return name;
}
