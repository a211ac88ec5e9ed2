#!/usr/bin/env node
// `attn`: the command line of attn. Runs one command with the process's streams and sets the exit code;
// Ctrl-C stops the running pipeline (ABORTED, exit code 130), a second Ctrl-C ends the process at once.
import { runCli } from './run-cli.js';

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort(new Error('interrupted (Ctrl-C)')));
// a closed pipe (attn … | head -1) is not an error: stop writing and exit quietly
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: interrupt.signal,
});
