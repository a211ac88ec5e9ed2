// One run of `attn`: finds the command, parses its command line, shows help or runs it, and turns any failure into
// a message on stderr and the exit code of its kind (exit-codes.ts). Returns the exit code; never exits itself.
import { readFileSync } from 'node:fs';
import type { CliIo } from './cli-io.js';
import { commandHelp, overviewHelp } from './command-help.js';
import { commands } from './commands/index.js';
import { exitCodeOf } from './exit-codes.js';
import { parseCommandLine } from './parse-command-line.js';
import { reportError } from './report-error.js';
import { usageError } from './usage-error.js';

/**
 * Runs `attn` with `argv` (the arguments after the program name) and returns its exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['translate', 'A dog runs.'], io); // prints 'Ein Hund rennt.' and its alignment
 * await runCli(['translate', '--bogus'], io); // 2, with "attn translate: Unknown option '--bogus'…" on stderr
 * ```
 * @throws never: failures are reported on io.stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    const [name, ...rest] = argv;
    if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
      io.stdout.write(overviewHelp(commands));
      return 0;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (name === undefined) {
      io.stderr.write(overviewHelp(commands));
      throw usageError('', 'no command given', 'run one of the commands above');
    }
    const wanted = name === 'help' ? rest[0] : name;
    const command = commands.find((candidate) => candidate.name === wanted);
    if (command === undefined) {
      throw usageError(
        '',
        `unknown command '${wanted}'`,
        `run one of ${commands.map((candidate) => candidate.name).join(', ')} (attn --help lists them)`,
      );
    }
    const parsed = parseCommandLine(command, name === 'help' ? ['--help'] : rest);
    if (parsed.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    await command.run({ values: parsed.values, positionals: parsed.positionals, io });
    return 0;
  } catch (error) {
    reportError(error, io, json);
    return exitCodeOf(error);
  }
}

function version(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return `attn ${manifest.version}`;
}
