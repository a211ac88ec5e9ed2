// `attn ask`: extractive question answering over a context, with the evidence — the context words the answer's
// first and last tokens attended to — highlighted in the context.
import { h } from '@attn/core-attention';
import type { Answer } from '@attn/nlp';
import type { Command, Invocation } from '../command.js';
import { defaultModels } from '../default-models.js';
import { integerOption, numberOption, stringOption } from '../input/option-values.js';
import { readTextInput } from '../input/read-text-input.js';
import { modelSource } from '../model-source.js';
import { attentionJson } from '../output/attention-json.js';
import { outputMode, printJson, printNotes } from '../output/command-output.js';
import { outTarget, renderToFiles } from '../output/out-target.js';
import { spanHighlights } from '../output/span-highlights.js';
import { writeMatrixFigure, type MatrixFigure } from '../output/write-matrix-figure.js';
import { pipelineOptions } from '../pipeline-options.js';
import { highlightSpans } from '../terminal/highlight-spans.js';
import { terminalStyle } from '../terminal/terminal-style.js';
import { usageError } from '../usage-error.js';

const name = 'ask';
const formats = ['svg', 'png', 'html'] as const;

/**
 * `attn ask`.
 *
 * @example
 * ```ts
 * await runCli(['ask', 'What does the dog catch?', '--context', 'A dog catches a frisbee.'], io); // 0
 * ```
 */
export const askCommand: Command = {
  name,
  summary: 'answer a question from a context, with the evidence the answer attended to',
  usage: [
    'attn ask <question...> --context <text> [options]',
    'attn ask <question...> --file context.txt [options]',
    'cat context.txt | attn ask <question...> [options]',
  ],
  description: [
    'The arguments are the question; the context comes from --context, --file, or stdin.',
    'The answer is a span of the context. Below it the context is shown with the evidence marked: the words\n' +
      "the answer's first and last tokens attended to (in the model's evidence head, layer 1 head 3 for\n" +
      'attn/qa-captions; else the last layer, heads averaged), in colour on a terminal\n' +
      'and [in brackets] otherwise.',
  ],
  options: {
    context: {
      type: 'string',
      short: 'c',
      value: '<text>',
      description: 'the context to answer from',
    },
    file: {
      type: 'string',
      short: 'f',
      value: '<path>',
      description: 'read the context from a file (- for stdin)',
    },
    threshold: {
      type: 'string',
      value: '<logits>',
      description:
        'report "no answer" when the null score beats the best span by more than this (default 0)',
    },
    'evidence-words': {
      type: 'string',
      value: '<n>',
      description: 'context words kept in each evidence list (default 5)',
    },
    ...pipelineOptions(defaultModels.ask, formats),
  },
  json: [
    '{ command, model, files, results: [{ question, answer, start, end, score, noAnswer,',
    '  evidence: { start: [{ start, end, weight, text }], end: [...] }, evidenceFrom, warnings, attention? }] }',
    '  start / end are character offsets into the context',
  ],
  examples: [
    "attn ask 'What does the dog catch?' --context 'A brown dog catches a frisbee in the air.'",
    "attn ask 'Who is riding?' --file captions.txt --json",
  ],
  positionals: true,
  run: runAsk,
};

async function runAsk({ values, positionals, io }: Invocation): Promise<void> {
  const out = outTarget(name, values, formats);
  const mode = outputMode(name, values);
  const threshold = numberOption(name, values, 'threshold', -Infinity, Infinity);
  const evidenceWords = integerOption(name, values, 'evidence-words', 1);
  const question = positionals.join(' ');
  if (question.trim() === '')
    throw usageError(
      name,
      'no question given',
      "pass the question as the argument: attn ask 'Who is riding?' --context …",
    );
  const inlineContext = stringOption(values, 'context');
  const source = modelSource(values, defaultModels.ask);
  const { text: context } = await readTextInput(
    name,
    {
      inline: inlineContext === undefined ? [] : [inlineContext],
      inlineHint: 'with --context <text>',
      file: stringOption(values, 'file'),
      what: 'context',
    },
    io,
  );
  const { answer, disposeTextModels } = await import('@attn/nlp');
  try {
    const result = await answer(
      { question, context },
      { ...source, threshold, evidenceWords, signal: io.signal },
    );
    const files = await renderToFiles(out, 1, (path, _index, format) =>
      writeMatrixFigure(format, path, answerFigure(result, question, context)),
    );
    const withText = (span: { start: number; end: number; weight: number }) => ({
      ...span,
      text: context.slice(span.start, span.end),
    });
    if (mode.json) {
      printJson(io, {
        command: name,
        model: source.model,
        results: [
          {
            question,
            answer: result.answer,
            start: result.start,
            end: result.end,
            score: result.score,
            noAnswer: result.noAnswer,
            evidence: {
              start: result.evidence.start.map(withText),
              end: result.evidence.end.map(withText),
            },
            evidenceFrom: result.evidenceFrom,
            warnings: result.warnings,
            ...attentionJson(result.attention, mode.attentionMaps),
          },
        ],
        files,
      });
      return;
    }
    const style = terminalStyle(io.stdout, io.env);
    const evidence = [...result.evidence.start, ...result.evidence.end];
    const lines = [
      `${style.bold(result.answer === '' ? '(no answer)' : result.answer)}  ${style.dim(`score ${result.score.toFixed(2)}`)}`,
      ...(result.noAnswer
        ? ['The model judges that the context holds no answer; its best span is shown.']
        : []),
      '',
      'Evidence (what the answer attended to) in the context:',
      `  ${highlightSpans(context, evidence, style).replace(/\s*\n\s*/g, ' ')}`,
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    printNotes(io, name, result.warnings, files);
  } finally {
    await disposeTextModels();
  }
}

function answerFigure(result: Answer, question: string, context: string): MatrixFigure {
  return {
    title: "attn ask: self-attention of the answer's window (mean of layers and heads)",
    maps: result.attention,
    body: h('div', {}, [
      h('p', {}, [
        h('strong', {}, 'Question '),
        question,
        h('br'),
        h('strong', {}, 'Answer '),
        result.answer,
      ]),
      h('p', {}, 'The context, shaded by what the answer attended to:'),
      spanHighlights(context, [...result.evidence.start, ...result.evidence.end]),
    ]),
  };
}
