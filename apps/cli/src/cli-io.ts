// The streams, environment and cancellation signal one run of `attn` works with. main.ts passes the process's,
// so commands read and write through this object and never reach for globals.

/** A stream the CLI writes to, such as process.stdout. */
export interface CliOutput {
  write(text: string): unknown;
  /** True for a terminal: colour and progress lines are drawn only there. */
  readonly isTTY?: boolean;
  /** Terminal width in characters, when known. */
  readonly columns?: number;
}

/** Everything a command may touch besides files. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Fires on Ctrl-C: pipelines stop with ABORTED and the run exits with code 130. */
  readonly signal: AbortSignal;
}
