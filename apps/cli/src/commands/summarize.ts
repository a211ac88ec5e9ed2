// `attn summarize`: a summary with its source attribution — which source sentences the summary's cross-attention
// fell on, and for each summary sentence the source spans it drew on.
import { h, htmlTable } from '@attn/core-attention';
import type { Summary } from '@attn/nlp';
import type { Command, Invocation } from '../command.js';
import { defaultModels } from '../default-models.js';
import { integerOption, stringOption } from '../input/option-values.js';
import { readTextInput } from '../input/read-text-input.js';
import { modelSource } from '../model-source.js';
import { attentionJson } from '../output/attention-json.js';
import { outputMode, printJson, printNotes } from '../output/command-output.js';
import { outTarget, renderToFiles } from '../output/out-target.js';
import { spanHighlights } from '../output/span-highlights.js';
import {
  producedRowLabels,
  writeMatrixFigure,
  type MatrixFigure,
} from '../output/write-matrix-figure.js';
import { pipelineOptions } from '../pipeline-options.js';
import { highlightSpans } from '../terminal/highlight-spans.js';
import { terminalStyle } from '../terminal/terminal-style.js';
import { weightBar } from '../terminal/weight-bar.js';

const name = 'summarize';
const formats = ['svg', 'png', 'html'] as const;

/**
 * `attn summarize`.
 *
 * @example
 * ```ts
 * await runCli(['summarize', '--file', 'article.txt', '--model', './my-bart'], io); // 0
 * ```
 */
export const summarizeCommand: Command = {
  name,
  summary: 'summarize a text, with the source sentences and spans each part drew on',
  usage: [
    'attn summarize <text...> [options]',
    'attn summarize --file article.txt [options]',
    'cat article.txt | attn summarize [options]',
  ],
  description: [
    'The text comes from the arguments (joined with spaces), --file, or stdin, and is summarized as one.',
    "The summary is followed by every source sentence with its share of the summary's cross-attention, and\n" +
      'by each summary sentence with the source spans it attended to most (highlighted in the source).',
  ],
  options: {
    file: {
      type: 'string',
      short: 'f',
      value: '<path>',
      description: 'read the text from a file (- for stdin)',
    },
    beams: {
      type: 'string',
      value: '<n>',
      description: "beam width; 1 is greedy (default: the model's)",
    },
    'max-tokens': { type: 'string', value: '<n>', description: 'longest summary in tokens' },
    'top-words': {
      type: 'string',
      value: '<n>',
      description: 'source words kept per summary word and sentence (default 3)',
    },
    ...pipelineOptions(defaultModels.summarize, formats),
  },
  json: [
    '{ command, model, files, results: [{ summary, score, sentences: [{ text, start, end, sources }],',
    '  words: [{ word, sources }], sourceHighlights, sourceTokens, summaryTokens, warnings, attention? }] }',
    '  sources and sourceHighlights are [{ start, end, weight, text }], character offsets into the input',
  ],
  examples: [
    'attn summarize --file captions.txt',
    "attn summarize 'A man rides a bike. A dog runs after him.' --json",
    'attn summarize --file captions.txt --out attribution.html',
  ],
  positionals: true,
  run: runSummarize,
};

async function runSummarize({ values, positionals, io }: Invocation): Promise<void> {
  const out = outTarget(name, values, formats);
  const mode = outputMode(name, values);
  const numBeams = integerOption(name, values, 'beams', 1);
  const maxNewTokens = integerOption(name, values, 'max-tokens', 1);
  const topWords = integerOption(name, values, 'top-words', 1);
  const source = modelSource(values, defaultModels.summarize);
  const { text } = await readTextInput(
    name,
    {
      inline: positionals,
      inlineHint: 'as an argument',
      file: stringOption(values, 'file'),
      what: 'text',
    },
    io,
  );
  const { summarize, disposeTextModels } = await import('@attn/nlp');
  try {
    const result = await summarize(text, {
      ...source,
      numBeams,
      maxNewTokens,
      attribution: { topWords },
      signal: io.signal,
    });
    const files = await renderToFiles(out, 1, (path, _index, format) =>
      writeMatrixFigure(format, path, summaryFigure(result, text)),
    );
    const withText = <Span extends { start: number; end: number }>(span: Span) => ({
      ...span,
      text: text.slice(span.start, span.end),
    });
    if (mode.json) {
      printJson(io, {
        command: name,
        model: source.model,
        results: [
          {
            summary: result.summary,
            score: result.score,
            sentences: result.sentences.map((sentence) => ({
              ...sentence,
              sources: sentence.sources.map(withText),
            })),
            words: result.words.map((word) => ({ ...word, sources: word.sources.map(withText) })),
            sourceHighlights: result.sourceHighlights.map(withText),
            sourceTokens: result.sourceTokens,
            summaryTokens: result.summaryTokens,
            warnings: result.warnings,
            ...attentionJson(result.attention, mode.attentionMaps),
          },
        ],
        files,
      });
      return;
    }
    const style = terminalStyle(io.stdout, io.env);
    const lines = [
      style.bold(result.summary),
      '',
      "Source sentences by their share of the summary's attention:",
      ...result.sourceHighlights.map(
        (span) => `  ${weightBar(span.weight)}  ${text.slice(span.start, span.end).trim()}`,
      ),
      ...result.sentences.flatMap((sentence) => [
        '',
        `${style.bold(sentence.text)} drew on:`,
        `  ${highlightSpans(text, sentence.sources, style).replace(/\s*\n\s*/g, ' ')}`,
      ]),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    printNotes(io, name, result.warnings, files);
  } finally {
    await disposeTextModels();
  }
}

function summaryFigure(result: Summary, text: string): MatrixFigure {
  return {
    title:
      'attn summarize: cross-attention while producing each summary token (mean of layers and heads)',
    maps: result.attention,
    queryLabels:
      result.attention === undefined
        ? []
        : producedRowLabels(result.attention, result.summaryTokens),
    body: h('div', {}, [
      h('p', {}, [h('strong', {}, 'Summary '), result.summary]),
      h('p', {}, "The source, shaded by each sentence's share of the summary's attention:"),
      spanHighlights(text, result.sourceHighlights),
      htmlTable(
        ['summary sentence', 'source spans it drew on'],
        result.sentences.map((sentence) => [
          sentence.text,
          sentence.sources
            .map((span) => `${text.slice(span.start, span.end)} (${span.weight.toFixed(2)})`)
            .join('; '),
        ]),
      ),
    ]),
  };
}
