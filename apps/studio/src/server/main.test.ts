import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HealthResponse } from '../api/studio-api.js';

const appRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `studio <args>` from its sources as the user would, collecting its output. */
function startStudio(args: readonly string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...args], {
    cwd: appRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('the studio command', () => {
  it('prints the port it picked, serves, and stops cleanly on SIGTERM', async () => {
    const studio = startStudio(['--port', '0', '--model', 'summarize=/nonexistent/tiny-bart']);
    const deadline = performance.now() + 20_000;
    while (!/listening on http:\/\/127\.0\.0\.1:\d+/.test(studio.output().stdout)) {
      if (performance.now() > deadline)
        throw new Error(`no address printed:\n${studio.output().stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(studio.output().stdout)![0];
    const health = (await (await fetch(`${url}/api/health`)).json()) as HealthResponse;
    expect(health.status).toBe('ok');
    // models it cannot find are named at start, not at the first request
    await expect
      .poll(() => studio.output().stderr)
      .toMatch(/note: summarize: the folder of tiny-bart has no config.json/);
    studio.child.kill('SIGTERM');
    expect(await studio.exited).toBe(0);
    expect(studio.output().stderr).toMatch(/SIGTERM: stopping/);
  });

  it('explains a bad command line and exits 2', async () => {
    const studio = startStudio(['--port', '99999']);
    expect(await studio.exited).toBe(2);
    expect(studio.output().stderr).toMatch(
      /^studio: studio\(\): --port must be a number in \[0, 65535\], got '99999'/,
    );
    expect(studio.output().stderr).toMatch(/usage: studio \[options\]/);
  });
});
