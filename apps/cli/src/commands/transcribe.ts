// `attn transcribe`: speech to text with a start, end and confidence for every word, the times read off the
// decoder's cross-attention (Whisper's alignment heads and dynamic time warping).
import { AttnError, h, htmlTable } from '@attn/core-attention';
import type { Transcription, WhisperTask } from '@attn/audio';
import type { Command, Invocation } from '../command.js';
import { defaultModels } from '../default-models.js';
import { integerOption, stringOption } from '../input/option-values.js';
import { readFileInputs } from '../input/read-file-inputs.js';
import { modelSource } from '../model-source.js';
import { attentionJson } from '../output/attention-json.js';
import { inputWarnings, outputMode, printJson, printNotes } from '../output/command-output.js';
import { htmlDocument } from '../output/html-document.js';
import { outTarget, renderToFiles } from '../output/out-target.js';
import { spanHighlights } from '../output/span-highlights.js';
import { writeFileAtomic } from '../output/write-file-atomic.js';
import { pipelineOptions } from '../pipeline-options.js';
import { runInBatches } from '../run-in-batches.js';
import { terminalStyle } from '../terminal/terminal-style.js';
import { timedWords } from '../terminal/timed-words.js';
import { usageError } from '../usage-error.js';

const name = 'transcribe';
const formats = ['png', 'html'] as const;

/**
 * `attn transcribe`.
 *
 * @example
 * ```ts
 * await runCli(['transcribe', 'hello.wav', '--json'], io); // 0
 * ```
 */
export const transcribeCommand: Command = {
  name,
  summary: 'transcribe speech, with a start and end time for every word',
  usage: ['attn transcribe <file.wav...> [options]', 'attn transcribe < speech.wav [options]'],
  description: [
    'Audio comes from WAV files (PCM, float, µ-law or A-law, any rate and channel count), or stdin (path -).',
    'The transcript is followed by its words, each with the seconds it was spoken and the mean probability of\n' +
      "its tokens. --out .png draws the spectrogram with the alignment heads' attention and the word boundaries\n" +
      '(audio of one chunk, 30 s for Whisper); --out .html lists the words with their times.',
  ],
  options: {
    language: {
      type: 'string',
      value: '<code>',
      description: 'spoken language, a code the model knows: en, de, … (default en)',
    },
    task: {
      type: 'string',
      value: '<task>',
      description: 'transcribe (default) or translate (into English)',
    },
    beams: { type: 'string', value: '<n>', description: 'beam width; 1 (default) is greedy' },
    'max-tokens': {
      type: 'string',
      value: '<n>',
      description: 'longest transcript per 30 s window, in tokens',
    },
    ...pipelineOptions(defaultModels.transcribe, formats),
  },
  json: [
    '{ command, model, files, results: [{ input, text, language, durationSeconds,',
    '  words: [{ word, start, end, confidence }], segments: [{ start, end, text, tokens }],',
    '  alignmentHeads, secondsPerFrame, warnings, attention? }]   (times in seconds)',
  ],
  examples: [
    'attn transcribe hello.wav',
    'attn transcribe talk.wav --json > words.json',
    'attn transcribe hello.wav --out hello.png',
  ],
  positionals: true,
  run: runTranscribe,
};

async function runTranscribe({ values, positionals, io }: Invocation): Promise<void> {
  const out = outTarget(name, values, formats);
  const mode = outputMode(name, values);
  const task = stringOption(values, 'task');
  if (task !== undefined && task !== 'transcribe' && task !== 'translate')
    throw usageError(
      name,
      `--task must be transcribe or translate, got '${task}'`,
      'for example --task translate',
    );
  const numBeams = integerOption(name, values, 'beams', 1);
  const maxNewTokens = integerOption(name, values, 'max-tokens', 1);
  const language = stringOption(values, 'language');
  const source = modelSource(values, defaultModels.transcribe);
  const inputs = await readFileInputs(name, positionals, io, 'WAV file');
  const { transcribe, renderTranscriptionPng, disposeSpeechModels } = await import('@attn/audio');
  try {
    const results = await runInBatches(name, inputs, 1, io.stderr, async ([entry]) => {
      const options = {
        ...source,
        language,
        task: task as WhisperTask | undefined,
        numBeams,
        maxNewTokens,
      };
      try {
        return [await transcribe(entry?.input ?? '', { ...options, signal: io.signal })];
      } catch (error) {
        // decodeWav's message says what is wrong with the audio, not which file it was
        if (!AttnError.is(error) || error.code !== 'INPUT_FORMAT') throw error;
        throw new AttnError(error.code, `attn ${name}: ${entry?.label}: ${error.message}`, {
          cause: error,
        });
      }
    });
    const files = await renderToFiles(out, results.length, async (path, index, format) => {
      const result = results[index] as Transcription;
      if (format === 'png') return renderTranscriptionPng(result, inputs[index]?.input ?? '', path);
      await writeFileAtomic(
        path,
        htmlDocument(`attn transcribe: ${inputs[index]?.label ?? ''}`, transcriptHtml(result)),
      );
    });
    if (mode.json) {
      printJson(io, {
        command: name,
        model: source.model,
        results: results.map((result, index) => ({
          input: inputs[index]?.label,
          text: result.text,
          language: result.language,
          durationSeconds: result.durationSeconds,
          words: result.words,
          segments: result.segments,
          alignmentHeads: result.alignmentHeads,
          secondsPerFrame: result.secondsPerFrame,
          warnings: result.warnings,
          ...attentionJson(result.attention, mode.attentionMaps),
        })),
        files,
      });
      return;
    }
    const style = terminalStyle(io.stdout, io.env);
    const blocks = results.map((result, index) => [
      ...(results.length > 1
        ? [style.dim(`${inputs[index]?.label ?? ''}  ${result.durationSeconds.toFixed(2)} s`)]
        : []),
      style.bold(result.text === '' ? '(no speech)' : result.text),
      ...timedWords(result.words, style).map((line) => `  ${line}`),
    ]);
    io.stdout.write(`${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`);
    printNotes(
      io,
      name,
      inputWarnings(
        inputs.map((input) => input.label),
        results.map((result) => result.warnings),
      ),
      files,
    );
  } finally {
    await disposeSpeechModels();
  }
}

/** The transcript shaded by confidence, and a table of the words with their times. */
function transcriptHtml(result: Transcription) {
  let offset = 0;
  const spans = result.words.map((word) => {
    const start = result.text.indexOf(word.word, offset);
    offset = start < 0 ? offset : start + word.word.length;
    return { start: Math.max(start, 0), end: start < 0 ? 0 : offset, weight: word.confidence };
  });
  return h('div', {}, [
    h('p', {}, 'The transcript, each word shaded by its confidence:'),
    spanHighlights(result.text, spans, { maxWeight: 1 }),
    htmlTable(
      ['word', 'start (s)', 'end (s)', 'confidence'],
      result.words.map((word) => [
        word.word,
        word.start.toFixed(2),
        word.end.toFixed(2),
        word.confidence.toFixed(2),
      ]),
    ),
  ]);
}
