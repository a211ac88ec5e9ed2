// `attn translate`: translation with the word alignment read off the model's cross-attention. Arguments are one
// text; --file and stdin hold one text per line, translated in batches with a progress line on a terminal.
import { h, htmlTable } from '@attn/core-attention';
import type { Translation } from '@attn/nlp';
import type { Command, Invocation } from '../command.js';
import { defaultModels } from '../default-models.js';
import { integerOption, stringOption } from '../input/option-values.js';
import { readTextInput } from '../input/read-text-input.js';
import { modelSource } from '../model-source.js';
import { attentionJson } from '../output/attention-json.js';
import { inputWarnings, outputMode, printJson, printNotes } from '../output/command-output.js';
import { outTarget, renderToFiles } from '../output/out-target.js';
import {
  producedRowLabels,
  writeMatrixFigure,
  type MatrixFigure,
} from '../output/write-matrix-figure.js';
import { pipelineOptions } from '../pipeline-options.js';
import { runInBatches } from '../run-in-batches.js';
import { alignedWords } from '../terminal/aligned-words.js';
import { terminalStyle } from '../terminal/terminal-style.js';

const name = 'translate';
const formats = ['svg', 'png', 'html'] as const;

/**
 * `attn translate`.
 *
 * @example
 * ```ts
 * await runCli(['translate', 'A dog runs on the beach.'], io); // 0; prints 'Ein Hund rennt am Strand.' and its alignment
 * ```
 */
export const translateCommand: Command = {
  name,
  summary: 'translate text, with the word alignment its cross-attention implies',
  usage: [
    'attn translate <text...> [options]',
    'attn translate --file sentences.txt [options]',
    "echo 'A dog runs on the beach.' | attn translate [options]",
  ],
  description: [
    'The arguments are one text (joined with spaces); --file and stdin hold one text per line.',
    'Each translation is followed by its target words, each with the source words the model attended to\n' +
      'while producing it and the weight of that link (cross-attention pooled from subwords to words).',
  ],
  options: {
    file: {
      type: 'string',
      short: 'f',
      value: '<path>',
      description: 'read texts from a file, one per line (- for stdin)',
    },
    beams: {
      type: 'string',
      value: '<n>',
      description: "beam width; 1 is greedy (default: the model's, 4 for attn/mt-en-de)",
    },
    'max-tokens': { type: 'string', value: '<n>', description: 'longest translation in tokens' },
    'batch-size': {
      type: 'string',
      value: '<n>',
      description: 'texts per model run (default 64, as translate())',
    },
    ...pipelineOptions(defaultModels.translate, formats),
  },
  json: [
    '{ command, model, files, results: [{ input, translation, score, sourceWords, targetWords,',
    '  alignment: [{ source, target, weight, sourceWord, targetWord }], sourceTokens, targetTokens, warnings,',
    '  attention? }] }   (source / target index sourceWords / targetWords)',
  ],
  examples: [
    "attn translate 'A little girl is running on the beach.'",
    'attn translate --file captions.txt --json > translations.json',
    "attn translate 'Two men play soccer.' --out alignment.svg",
  ],
  positionals: true,
  run: runTranslate,
};

async function runTranslate({ values, positionals, io }: Invocation): Promise<void> {
  const out = outTarget(name, values, formats);
  const mode = outputMode(name, values);
  const numBeams = integerOption(name, values, 'beams', 1);
  const maxNewTokens = integerOption(name, values, 'max-tokens', 1);
  const givenBatchSize = integerOption(name, values, 'batch-size', 1);
  const source = modelSource(values, defaultModels.translate);
  const input = await readTextInput(
    name,
    {
      inline: positionals,
      inlineHint: 'as an argument',
      file: stringOption(values, 'file'),
      what: 'text',
    },
    io,
  );
  const texts =
    input.from === 'inline'
      ? [input.text]
      : input.text.split(/\r?\n/).filter((line) => line.trim() !== '');
  // @attn/nlp (and onnxruntime) load only once there is something to translate
  const { translate, disposeTextModels, defaultTranslateBatchSize } = await import('@attn/nlp');
  const batchSize = givenBatchSize ?? defaultTranslateBatchSize;
  try {
    const results = await runInBatches(name, texts, batchSize, io.stderr, (batch) =>
      translate(batch, { ...source, batchSize, numBeams, maxNewTokens, signal: io.signal }),
    );
    const files = await renderToFiles(out, results.length, (path, index, format) =>
      writeMatrixFigure(
        format,
        path,
        translationFigure(results[index] as Translation, texts[index] as string),
      ),
    );
    if (mode.json) {
      printJson(io, {
        command: name,
        model: source.model,
        results: results.map((result, index) => ({
          input: texts[index],
          translation: result.text,
          score: result.score,
          sourceWords: result.sourceWords,
          targetWords: result.targetWords,
          alignment: result.alignment.map((link) => ({
            ...link,
            sourceWord: result.sourceWords[link.source],
            targetWord: result.targetWords[link.target],
          })),
          sourceTokens: result.sourceTokens,
          targetTokens: result.targetTokens,
          warnings: result.warnings,
          ...attentionJson(result.attention, mode.attentionMaps),
        })),
        files,
      });
      return;
    }
    const style = terminalStyle(io.stdout, io.env);
    const blocks = results.map((result, index) => [
      ...(texts.length > 1 ? [style.dim(texts[index] as string)] : []),
      style.bold(result.text === '' ? '(empty translation)' : result.text),
      ...alignedWords(result, style).map((line) => `  ${line}`),
    ]);
    io.stdout.write(`${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`);
    printNotes(
      io,
      name,
      inputWarnings(
        texts.map((_, index) => `text ${index + 1}`),
        results.map((result) => result.warnings),
      ),
      files,
    );
  } finally {
    await disposeTextModels();
  }
}

function translationFigure(result: Translation, text: string): MatrixFigure {
  const pairs = result.alignment.map((link) => [
    result.sourceWords[link.source] ?? '?',
    result.targetWords[link.target] ?? '?',
    link.weight.toFixed(2),
  ]);
  return {
    title:
      'attn translate: cross-attention while producing each target token (mean of layers and heads)',
    maps: result.attention,
    queryLabels:
      result.attention === undefined
        ? []
        : producedRowLabels(result.attention, result.targetTokens),
    body: h('div', {}, [
      h('p', {}, [
        h('strong', {}, 'Source '),
        text,
        h('br'),
        h('strong', {}, 'Translation '),
        result.text,
      ]),
      htmlTable(['source word', 'target word', 'weight'], pairs, {
        caption: 'word alignment (argmax over the attention pooled to words)',
      }),
    ]),
  };
}
