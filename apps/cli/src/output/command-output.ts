// How a pipeline command reports: for machines one JSON document on stdout (--json, the raw attention added with
// --attention-maps), for people text on stdout with the result's warnings and the files written on stderr.
import type { CliIo } from '../cli-io.js';
import { flagOption, type OptionValues } from '../input/option-values.js';
import { usageError } from '../usage-error.js';

/** What the command line asked to be printed. */
export interface OutputMode {
  json: boolean;
  attentionMaps: boolean;
}

/** The JSON document of a pipeline command. */
export interface JsonReport<Result> {
  command: string;
  /** The model as given to the pipeline: attn/<name>, an absolute folder path or a hub id. */
  model: string;
  results: Result[];
  /** The --out files written, in the order of the results. */
  files: string[];
}

/**
 * Reads --json and --attention-maps.
 *
 * @example
 * ```ts
 * outputMode('translate', { json: true }); // { json: true, attentionMaps: false }
 * outputMode('translate', { 'attention-maps': true });
 * // throws "attn translate: --attention-maps only applies to --json output. Fix: add --json."
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for --attention-maps without --json.
 */
export function outputMode(command: string, values: OptionValues): OutputMode {
  const json = flagOption(values, 'json');
  const attentionMaps = flagOption(values, 'attention-maps');
  if (attentionMaps && !json)
    throw usageError(command, '--attention-maps only applies to --json output', 'add --json');
  return { json, attentionMaps };
}

/**
 * Writes `report` to stdout as indented JSON.
 *
 * @example
 * ```ts
 * printJson(io, { command: 'translate', model: 'attn/mt-en-de', results: [{ translation: 'Ein Hund.' }], files: [] });
 * ```
 * @throws never.
 */
export function printJson<Result>(io: CliIo, report: JsonReport<Result>): void {
  io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

/**
 * Writes warnings (`attn <command>: warning: …`) and the files written (`wrote …`) to stderr, for people.
 *
 * @example
 * ```ts
 * printNotes(io, 'translate', ['text 2: the text has more tokens than …'], ['out.svg']);
 * // stderr: "attn translate: warning: text 2: the text has more tokens than …\nwrote out.svg\n"
 * ```
 * @throws never.
 */
export function printNotes(
  io: CliIo,
  command: string,
  warnings: readonly string[],
  files: readonly string[],
): void {
  for (const warning of warnings) io.stderr.write(`attn ${command}: warning: ${warning}\n`);
  for (const file of files) io.stderr.write(`wrote ${file}\n`);
}

/**
 * The warnings of several inputs as one list, each prefixed with its input's label when there is more than one input
 * (a pipeline's warnings speak of "the text" or "the image": the label says which).
 *
 * @example
 * ```ts
 * inputWarnings(['text 1', 'text 2'], [[], ['the text has more tokens than …']]);
 * // ['text 2: the text has more tokens than …']
 * ```
 * @throws never.
 */
export function inputWarnings(
  labels: readonly string[],
  warnings: readonly (readonly string[])[],
): string[] {
  return warnings.flatMap((list, index) =>
    labels.length > 1 ? list.map((warning) => `${labels[index] ?? ''}: ${warning}`) : [...list],
  );
}
