// Runs the `attn` command as a child process from its TypeScript sources (node --import tsx, which resolves the
// workspace packages to their sources through tsconfig paths), with stdin given and HF_HOME in a throwaway folder.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What one run of `attn` did. */
export interface AttnRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const appRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs `attn <args>` with `input` on stdin (closed at once when there is none) and `env` over the test's
 * environment; NO_COLOR and HF_HUB_OFFLINE are removed unless `env` sets them.
 *
 * @example
 * ```ts
 * const { code, stdout } = await runAttn(['translate', 'A dog runs.', '--json'], { env: { HF_HOME: home } });
 * ```
 */
export function runAttn(
  args: readonly string[],
  options: { input?: string | Uint8Array; env?: Record<string, string> } = {},
): Promise<AttnRun> {
  const inherited = { ...process.env };
  delete inherited['NO_COLOR'];
  delete inherited['HF_HUB_OFFLINE'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: appRoot,
    env: { ...inherited, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}

/**
 * The JSON a successful run printed, after checking that it exited 0 with nothing on stderr.
 *
 * @example
 * ```ts
 * const report = successJson<{ results: unknown[] }>(await runAttn(['translate', 'A dog.', '--json']));
 * ```
 */
export function successJson<T>(run: AttnRun): T {
  if (run.code !== 0 || run.stderr !== '')
    throw new Error(`attn exited ${run.code} with stderr:\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
