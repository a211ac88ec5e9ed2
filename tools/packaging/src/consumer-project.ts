// The steps of the packaging test: build and `pnpm pack` the packages users install, install the tarballs into a
// fresh project outside the workspace (pnpm, preferring its local store and cached metadata to the network), and
// compile a TypeScript program there against the installed type declarations.
import { execFile } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

/** The packages users install, in build order (each after what it imports), with the folder each lives in. */
export const publishedPackages = [
  { name: '@attn/core-attention', folder: 'packages/core-attention', built: true },
  { name: '@attn/nlp', folder: 'packages/nlp', built: true },
  { name: '@attn/vision', folder: 'packages/vision', built: true },
  { name: '@attn/audio', folder: 'packages/audio', built: true },
  { name: '@attn/models', folder: 'models', built: false },
] as const;

export type PublishedPackage = (typeof publishedPackages)[number]['name'];

/**
 * Runs a command to its end and returns its standard output.
 *
 * @example
 * ```ts
 * await command('pnpm', ['--version'], '/tmp'); // '10.34.9\n'
 * ```
 * @throws {Error} naming the command, its folder and exit, with its output, when it fails.
 */
export async function command(file: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(file, args, {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, HF_HUB_OFFLINE: '1' },
    });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `\`${file} ${args.join(' ')}\` failed in ${cwd}: ${(error as Error).message}\n${stdout}\n${stderr}`,
    );
  }
}

/**
 * Builds the packages' dist folders with their own `build` scripts: core-attention first, then the domain
 * packages side by side.
 *
 * @example
 * ```ts
 * await buildPackages('/work/main');
 * ```
 * @throws {Error} when a build fails (with tsc's messages).
 */
export async function buildPackages(root: string): Promise<void> {
  const [core, ...others] = publishedPackages;
  await command('pnpm', ['run', 'build'], join(root, core.folder));
  await Promise.all(
    others
      .filter((entry) => entry.built)
      .map((entry) => command('pnpm', ['run', 'build'], join(root, entry.folder))),
  );
}

/**
 * `pnpm pack`s every published package into `destination` (pnpm turns `workspace:*` into the version).
 *
 * @example
 * ```ts
 * const tarballs = await packPackages('/work/main', '/tmp/project/tarballs');
 * tarballs['@attn/nlp']; // '/tmp/project/tarballs/attn-nlp-0.1.0.tgz'
 * ```
 * @throws {Error} when pnpm fails.
 */
export async function packPackages(
  root: string,
  destination: string,
): Promise<Record<PublishedPackage, string>> {
  const tarballs: Partial<Record<PublishedPackage, string>> = {};
  for (const entry of publishedPackages) {
    const output = await command(
      'pnpm',
      ['pack', '--pack-destination', destination],
      join(root, entry.folder),
    );
    // pnpm prints the tarball's path last
    tarballs[entry.name] = join(destination, basename(output.trim().split('\n').at(-1) ?? ''));
  }
  return tarballs as Record<PublishedPackage, string>;
}

/**
 * Makes `folder` a project that depends on the domain packages' tarballs (their @attn dependencies overridden to
 * the tarballs too) and installs it with the workspace's pnpm store, preferring cached metadata and tarballs.
 *
 * @example
 * ```ts
 * await installConsumer('/tmp/project', tarballs, '/work/main');
 * // /tmp/project/node_modules/@attn/nlp, …/vision, …/audio
 * ```
 * @throws {Error} when pnpm cannot install (for instance offline with a package missing from the store).
 */
export async function installConsumer(
  folder: string,
  tarballs: Record<PublishedPackage, string>,
  root: string,
): Promise<void> {
  const file = (name: PublishedPackage): string => `file:${tarballs[name]}`;
  const manifest = {
    name: 'attn-consumer',
    private: true,
    type: 'module',
    dependencies: {
      '@attn/nlp': file('@attn/nlp'),
      '@attn/vision': file('@attn/vision'),
      '@attn/audio': file('@attn/audio'),
    },
    pnpm: {
      overrides: {
        '@attn/core-attention': file('@attn/core-attention'),
        '@attn/models': file('@attn/models'),
      },
    },
  };
  await writeFile(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const store = (await command('pnpm', ['store', 'path'], root)).trim();
  await command('pnpm', ['install', '--prefer-offline', '--store-dir', store], folder);
}

/**
 * Copies the TypeScript program `source` into `folder` and compiles it there with the workspace's TypeScript,
 * strict and NodeNext, as a user's project would, with skipLibCheck off: every installed declaration must type-check
 * (onnx-proto's name the global `Long`, which @attn/core-attention brings in through @types/long).
 *
 * @example
 * ```ts
 * await compileConsumer('/tmp/project', 'tools/packaging/consumer/use-attn.ts'); // '/tmp/project/dist/use-attn.js'
 * ```
 * @throws {Error} with tsc's messages when the program does not compile against the installed types.
 */
export async function compileConsumer(folder: string, source: string): Promise<string> {
  const name = basename(source);
  await copyFile(source, join(folder, name));
  const require = createRequire(import.meta.url);
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false, // our declarations must type-check as they are installed
      outDir: 'dist',
      // the workspace's Node types: the project installs only what a JavaScript user would
      typeRoots: [join(require.resolve('@types/node/package.json'), '..', '..')],
      types: ['node'],
    },
    files: [name],
  };
  await writeFile(join(folder, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  await command(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', folder], folder);
  return join(folder, 'dist', name.replace(/\.ts$/, '.js'));
}
