// Model folders in the Hugging Face / Optimum ONNX layout (config.json, generation_config.json, tokenizer and
// preprocessor configs, onnx/<session><dtype suffix>.onnx), from a local path, attn's shipped models (`attn/<name>`)
// or a Hub repository (`org/name`).
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { AttnError, describeValue, invalidArgument } from '../../errors/index.js';
import type { HubOptions } from '../hub/index.js';
import { hubFiles, localFiles, missingFile, type FolderFiles } from './folder-files.js';
import { modelArchitecture, type ModelArchitecture, type OnnxSessionName } from './model-types.js';
import { onnxFileName, parseOnnxFileName, type ModelDtype } from './onnx-file-name.js';

/** Options of {@link openModelFolder}. */
export interface OpenModelOptions {
  /** Folder of attn's shipped models, for `attn/<name>` sources. Default `$ATTN_MODELS`. */
  modelsRoot?: string;
  /** How Hub sources are fetched and cached. */
  hub?: HubOptions;
}

/** config.json: `model_type` is required; everything else is read by the pipelines. */
export interface ModelConfig {
  model_type: string;
  [key: string]: unknown;
}

/**
 * An opened model folder: its parsed configs, and paths of its files (downloaded on demand for Hub sources).
 *
 * @example
 * ```ts
 * const folder = await openModelFolder('attn/mt-en-de', { modelsRoot });
 * folder.config.model_type; // 'marian'
 * folder.architecture.sessions; // ['encoder_model', 'decoder_model_merged']
 * await folder.onnxPath('encoder_model'); // '<modelsRoot>/mt-en-de/onnx/encoder_model.onnx'
 * ```
 */
export class ModelFolder {
  constructor(
    /** The source as given to openModelFolder. */
    readonly source: string,
    /** Where the files come from. */
    readonly files: FolderFiles,
    readonly config: ModelConfig,
    readonly architecture: ModelArchitecture,
    /** generation_config.json, when the folder has one. */
    readonly generationConfig: Record<string, unknown> | undefined,
  ) {}

  /**
   * Absolute local path of a file of the folder, downloading it for a Hub source.
   *
   * @example
   * ```ts
   * await folder.filePath('tokenizer.json'); // '/models/mt-en-de/tokenizer.json'
   * ```
   * @throws {AttnError} FILE_NOT_FOUND listing what the folder holds; INVALID_ARGUMENT for a path leaving the folder.
   */
  filePath(name: string): Promise<string> {
    return this.files.path(name);
  }

  /**
   * A JSON file of the folder, parsed; with `optional`, undefined when the folder lacks it — or, for a Hub
   * repository in offline mode, when the cache does not hold it (as transformers falls back to defaults then).
   *
   * @example
   * ```ts
   * await folder.readJson('preprocessor_config.json', { optional: true }); // undefined for a text model
   * ```
   * @throws {AttnError} FILE_NOT_FOUND, or OFFLINE for an uncached Hub file (unless optional); MODEL_FORMAT when
   * the file is not valid JSON.
   */
  readJson(name: string, options: { optional?: boolean } = {}): Promise<unknown> {
    return readJson(this.files, name, options.optional === true);
  }

  /**
   * Path of a session's ONNX file for `dtype` (fp32 by default), with its external data fetched too for Hub sources.
   *
   * @example
   * ```ts
   * await folder.onnxPath('decoder_model_merged', 'q8'); // '/models/x/onnx/decoder_model_merged_quantized.onnx'
   * ```
   * @throws {AttnError} FILE_NOT_FOUND naming the sessions and dtypes the folder does have; INVALID_ARGUMENT for an
   * unknown session or dtype.
   */
  async onnxPath(session: OnnxSessionName, dtype: ModelDtype = 'fp32'): Promise<string> {
    const name = onnxFileName(session, dtype);
    const files = await this.files.list();
    if (files !== undefined && !files.includes(name)) {
      const variants = files.flatMap((file) => {
        const parsed = parseOnnxFileName(file);
        return parsed === undefined ? [] : [`${parsed.session} (${parsed.dtype})`];
      });
      throw missingFile(
        name,
        this.files.location,
        files,
        variants.length === 0
          ? 'export the model to ONNX with Optimum (optimum-cli export onnx) into this folder'
          : `ask for a session and dtype the folder has: ${variants.join(', ')}`,
      );
    }
    const path = await this.files.path(name);
    if (files === undefined) await this.fetchExternalData(name);
    return path;
  }

  /** Downloads `<file>_data`, `<file>_data_1`, … next to a Hub file, stopping at the first one the repository lacks. */
  private async fetchExternalData(name: string): Promise<void> {
    for (let index = 0; ; index++) {
      try {
        await this.files.path(`${name}_data${index === 0 ? '' : `_${index}`}`);
      } catch (error) {
        if (AttnError.is(error) && error.code === 'FILE_NOT_FOUND') return;
        throw error;
      }
    }
  }
}

/**
 * Opens a model folder: a local path (absolute or `./`-relative), `attn/<name>` (a shipped model under
 * `options.modelsRoot` or `$ATTN_MODELS`), or a Hub id `org/name`. Reads config.json and generation_config.json.
 *
 * @example
 * ```ts
 * const folder = await openModelFolder('./models/mt-en-de');
 * folder.architecture.family; // 'encoder-decoder'
 * const hub = await openModelFolder('Xenova/opus-mt-en-de', { hub: { revision: 'main' } }); // files fetched lazily
 * ```
 * @throws {AttnError} MODEL_NOT_FOUND for a missing folder or shipped model (listing those there are); FILE_NOT_FOUND
 * when config.json is missing (listing the folder); MODEL_FORMAT for a config.json without a known model_type;
 * INVALID_ARGUMENT for a malformed source; the Hub client's errors for Hub sources.
 */
export async function openModelFolder(
  source: string,
  options: OpenModelOptions = {},
): Promise<ModelFolder> {
  if (typeof source !== 'string' || source.trim() === '') {
    throw invalidArgument(
      'openModelFolder',
      'source',
      "a folder path, 'attn/<name>' or a Hub id 'org/name'",
      describeValue(source),
    );
  }
  const files = await folderFiles(source, options);
  const config = (await readJson(files, 'config.json', false)) as Partial<ModelConfig> | null;
  if (
    config === null ||
    typeof config !== 'object' ||
    typeof config.model_type !== 'string' ||
    config.model_type === ''
  ) {
    throw new AttnError(
      'MODEL_FORMAT',
      `openModelFolder(): ${files.location}/config.json has no model_type`,
      {
        likelyCause: 'the config was written by hand or by a tool that is not transformers',
        fix: 'add the architecture\'s "model_type" (e.g. "marian", "bert", "gpt2") to config.json',
      },
    );
  }
  const architecture = modelArchitecture(config.model_type, `${files.location}/config.json`);
  const generationConfig = (await readJson(files, 'generation_config.json', true)) as
    Record<string, unknown> | undefined;
  return new ModelFolder(source, files, config as ModelConfig, architecture, generationConfig);
}

async function readJson(files: FolderFiles, name: string, optional: boolean): Promise<unknown> {
  let path: string;
  try {
    path = await files.path(name);
  } catch (error) {
    // offline, a cache filled by another client (or by hubFile alone) may not record the optional files a
    // repository lacks: an uncached optional file is taken as absent, as transformers does
    if (
      optional &&
      AttnError.is(error) &&
      (error.code === 'FILE_NOT_FOUND' || error.code === 'OFFLINE')
    )
      return undefined;
    throw error;
  }
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new AttnError(
      'MODEL_FORMAT',
      `openModelFolder(): ${files.location}/${name} is not valid JSON: ${(error as Error).message}`,
      {
        likelyCause: 'the file is truncated or a Git LFS pointer',
        cause: error,
      },
    );
  }
}

async function folderFiles(source: string, options: OpenModelOptions): Promise<FolderFiles> {
  if (source.startsWith('attn/'))
    return localFiles(
      await shippedModel(
        source.slice('attn/'.length),
        options.modelsRoot ?? process.env.ATTN_MODELS,
      ),
    );
  if (isAbsolute(source) || /^\.\.?([/\\]|$)/.test(source)) {
    const folder = resolve(source);
    if (!(await isDirectory(folder))) {
      throw new AttnError('MODEL_NOT_FOUND', `openModelFolder(): no model folder at ${folder}`, {
        fix: 'pass the folder that holds config.json and onnx/ (relative paths are resolved against the working directory)',
      });
    }
    return localFiles(folder);
  }
  return hubFiles(source, options.hub);
}

async function shippedModel(name: string, modelsRoot: string | undefined): Promise<string> {
  if (modelsRoot === undefined || modelsRoot === '') {
    throw new AttnError(
      'MODEL_NOT_FOUND',
      `openModelFolder(): cannot resolve 'attn/${name}': no folder of shipped models is known`,
      {
        fix: "pass options.modelsRoot (e.g. modelsRoot from '@attn/models') or set ATTN_MODELS to the folder that holds the models",
      },
    );
  }
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) {
    throw invalidArgument(
      'openModelFolder',
      'source',
      "'attn/<name>' with a plain folder name",
      describeValue(`attn/${name}`),
    );
  }
  const folder = join(modelsRoot, name);
  if (!(await isDirectory(folder))) {
    const entries = await readdir(modelsRoot, { withFileTypes: true }).catch(() => []);
    const names = entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => `attn/${entry.name}`);
    throw new AttnError(
      'MODEL_NOT_FOUND',
      `openModelFolder(): no shipped model 'attn/${name}' in ${modelsRoot}; there are: ${names.join(', ') || 'none'}`,
      {
        fix: `use one of the models listed, or train it in a checkout of the attn repository: /usr/bin/python3 tools/model-zoo/train.py ${name} (its recipes are listed in tools/model-zoo/README.md)`,
      },
    );
  }
  return folder;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}
