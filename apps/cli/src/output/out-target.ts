// --out: the file a command renders its results to, the format read off the extension (.png, .svg, .html or .htm),
// checked before any model runs. Several results go to numbered files: scene.png → scene-1.png, scene-2.png, …
import { mkdir } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { stringOption, type OptionValues } from '../input/option-values.js';
import { usageError } from '../usage-error.js';

export type OutputFormat = 'png' | 'svg' | 'html';

/** Where and how to render. */
export interface OutTarget {
  path: string;
  format: OutputFormat;
}

const formatsByExtension: Readonly<Record<string, OutputFormat>> = {
  '.png': 'png',
  '.svg': 'svg',
  '.html': 'html',
  '.htm': 'html',
};

/**
 * The --out target of `attn <command>`, or undefined without --out.
 *
 * @example
 * ```ts
 * outTarget('detect', { out: 'scene.PNG' }, ['png', 'html']); // { path: 'scene.PNG', format: 'png' }
 * outTarget('detect', { out: 'scene.svg' }, ['png', 'html']);
 * // throws "attn detect: --out 'scene.svg' has an extension detect does not render. Fix: end the file name in .png or .html."
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the extension is not one of `supported`.
 */
export function outTarget(
  command: string,
  values: OptionValues,
  supported: readonly OutputFormat[],
): OutTarget | undefined {
  const path = stringOption(values, 'out');
  if (path === undefined) return undefined;
  const format = formatsByExtension[extname(path).toLowerCase()];
  if (format === undefined || !supported.includes(format)) {
    throw usageError(
      command,
      `--out '${path}' has an extension ${command} does not render`,
      `end the file name in ${supported.map((name) => `.${name}`).join(' or ')}`,
    );
  }
  return { path, format };
}

/**
 * The file of each of `count` results: the path itself for one result, numbered from 1 for several.
 *
 * @example
 * ```ts
 * outPaths('out/scene.png', 1); // ['out/scene.png']
 * outPaths('out/scene.png', 2); // ['out/scene-1.png', 'out/scene-2.png']
 * ```
 * @throws never.
 */
export function outPaths(path: string, count: number): string[] {
  if (count === 1) return [path];
  const extension = extname(path);
  const stem = path.slice(0, path.length - extension.length);
  return Array.from({ length: count }, (_, index) => `${stem}-${index + 1}${extension}`);
}

/**
 * Calls `render` for the file of each of `count` results, in order, after creating the target's folder, and
 * returns the paths written (none without --out). Renderers write atomically (writeFileAtomic, writePng).
 *
 * @example
 * ```ts
 * await renderToFiles({ path: 'out/a.svg', format: 'svg' }, 2, (path, index) => writeFileAtomic(path, svgs[index]!));
 * // ['out/a-1.svg', 'out/a-2.svg']
 * ```
 * @throws whatever `render` throws; INVALID_ARGUMENT when the folder cannot be created.
 */
export async function renderToFiles(
  target: OutTarget | undefined,
  count: number,
  render: (path: string, index: number, format: OutputFormat) => Promise<void>,
): Promise<string[]> {
  if (target === undefined) return [];
  const folder = dirname(resolve(target.path));
  await mkdir(folder, { recursive: true }).catch((error: unknown) => {
    throw usageError(
      '',
      `cannot create the --out folder '${folder}'`,
      'choose a folder you can write to',
      error,
    );
  });
  const paths = outPaths(target.path, count);
  for (const [index, path] of paths.entries()) await render(path, index, target.format);
  return paths;
}
