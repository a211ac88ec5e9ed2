// `attn` itself, run as a child process (testing/run-attn.ts): --help for the program and every command, and
// command lines it refuses — each with exit code 2 and a message that names the problem and the fix.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from './commands/index.js';
import { exitCodes } from './exit-codes.js';
import { cliInputs, type CliInputs } from './testing/cli-inputs.js';
import { runAttn } from './testing/run-attn.js';

let inputs: CliInputs;
beforeAll(async () => {
  inputs = await cliInputs();
});
afterAll(() => inputs.remove());

describe.concurrent('help and bad command lines', () => {
  it('attn --help lists every command and the whole exit-code table', async () => {
    const { code, stdout, stderr } = await runAttn(['--help']);
    expect([code, stderr]).toEqual([0, '']);
    for (const command of commands) expect(stdout).toContain(`  ${command.name} `);
    for (const [name, { code: exitCode }] of Object.entries(exitCodes))
      expect(stdout).toMatch(new RegExp(`^  ${exitCode} +.*\\(${name}\\)$`, 'm'));
  });

  it('every command has --help with its usage, each of its options and the exit codes', async () => {
    const runs = await Promise.all(commands.map((command) => runAttn([command.name, '--help'])));
    runs.forEach(({ code, stdout, stderr }, index) => {
      const command = commands[index]!;
      expect([code, stderr]).toEqual([0, '']);
      expect(stdout.startsWith(`attn ${command.name} — `)).toBe(true);
      expect(stdout).toContain(`\nUsage\n  attn ${command.name}`);
      for (const option of Object.keys(command.options)) expect(stdout).toContain(`--${option}`);
      expect(stdout).toContain('--help');
      expect(stdout).toContain('(OFFLINE)');
    });
  });

  it('no command, an unknown command and an unknown option exit 2 and say what to run; --version', async () => {
    const [none, unknown, option, jsonError, version] = await Promise.all([
      runAttn([]),
      runAttn(['tranlsate', 'A dog.']),
      runAttn(['translate', '--bogus', 'A dog.']),
      runAttn(['translate', '--bogus', '--json']),
      runAttn(['--version']),
    ]);
    const manifest = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    );
    expect([version.code, version.stdout]).toEqual([0, `attn ${manifest.version}\n`]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('attn: no command given');
    expect(none.stderr).toContain('  transcribe ');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "attn: unknown command 'tranlsate'. Fix: run one of translate, summarize",
    );
    expect(option.code).toBe(2);
    expect(option.stdout).toBe('');
    expect(option.stderr).toContain(
      "attn translate: Unknown option '--bogus'. Fix: run 'attn translate --help'",
    );
    expect(option.stderr).toContain('(INVALID_ARGUMENT, exit code 2)');
    expect(JSON.parse(jsonError.stderr)).toMatchObject({
      error: {
        code: 'INVALID_ARGUMENT',
        exitCode: 2,
        message: expect.stringContaining("'--bogus'"),
      },
    });
  });

  it('bad option values, a missing input and an --out it cannot render exit 2 before any model loads', async () => {
    const out = join(inputs.folder, 'never', 'x.txt');
    const [threshold, noText, missingFile, noImage, badOut, mapsWithoutJson] = await Promise.all([
      runAttn(['detect', 'scene.png', '--threshold', '7']),
      runAttn(['translate'], { env: inputs.env }),
      runAttn(['summarize', '--file', join(inputs.folder, 'missing.txt')]),
      runAttn(['detect'], { env: inputs.env }),
      runAttn(['translate', 'A dog.', '--out', out]),
      runAttn(['translate', 'A dog.', '--attention-maps']),
    ]);
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toContain(
      "attn detect: --threshold must be a number in [0, 1], got '7'. Fix: for example --threshold 0.5.",
    );
    expect(noText.code).toBe(2);
    expect(noText.stderr).toContain(
      'attn translate: no text given: stdin is empty. Fix: pass the text as an argument, with --file <path>, or on stdin',
    );
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain(
      `cannot read --file '${join(inputs.folder, 'missing.txt')}' (ENOENT)`,
    );
    expect(noImage.code).toBe(2);
    expect(noImage.stderr).toContain(
      'attn detect: no image given: stdin is empty. Fix: pass one or more image paths',
    );
    expect(badOut.code).toBe(2);
    expect(badOut.stderr).toContain('end the file name in .svg or .png or .html');
    await expect(readdir(join(inputs.folder, 'never'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(mapsWithoutJson.code).toBe(2);
    expect(mapsWithoutJson.stderr).toContain(
      '--attention-maps only applies to --json output. Fix: add --json.',
    );
  });
});
