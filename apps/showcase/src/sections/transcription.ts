// Section: speech recognition (attn/whisper-espeak by default) on the espeak-ng recording — the transcript with a
// start and end for every word from the alignment heads' cross-attention (Whisper's DTW), the words over the
// spectrogram with that attention below, and the recording's true word times beside them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { h, htmlTable, type Html } from '@attn/core-attention';
import {
  decodeWav,
  renderTranscriptionPng,
  transcribe,
  type SpeechInput,
  type Transcription,
} from '@attn/audio';
import { imageFigure } from '../image-figure.js';
import type { ReportSection } from '../report.js';
import type { ShowcaseSamples } from '../samples.js';
import { taskSection } from '../task-section.js';

const seconds = (value: number): string => value.toFixed(2);

/** The transcription drawn as a PNG (renderTranscriptionPng writes files: one in a temporary folder, read back). */
async function transcriptionPng(result: Transcription, audio: SpeechInput): Promise<Uint8Array> {
  const folder = await mkdtemp(join(tmpdir(), 'attn-showcase-'));
  try {
    const path = join(folder, 'transcription.png');
    await renderTranscriptionPng(result, audio, path);
    return await readFile(path);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * The picture of `result`; audio longer than the model's chunk has no attention, so its first window's share is
 * transcribed again on its own and drawn instead.
 */
async function pictureOf(model: string, result: Transcription, path: string): Promise<Html> {
  if (result.attention !== undefined)
    return imageFigure(
      await transcriptionPng(result, path),
      'spectrogram, word spans, and the alignment heads’ cross-attention per token (rows scaled to their range)',
    );
  const end = result.segments[0]?.end ?? result.durationSeconds;
  const audio = decodeWav(path);
  const excerpt = (audio.samples[0] as Float32Array).subarray(
    0,
    Math.round(end * audio.sampleRate),
  );
  const part = await transcribe(excerpt, { model });
  return imageFigure(
    await transcriptionPng(part, excerpt),
    `the first ${seconds(end)} s transcribed on their own (the recording is longer than the model's chunk): spectrogram, word spans and cross-attention`,
  );
}

/**
 * The transcription section: the recording transcribed by `model`.
 *
 * @example
 * ```ts
 * const section = await transcriptionSection('attn/whisper-espeak', showcaseSamples().speech);
 * section.body.html; // '<div>…<audio controls src="data:audio/wav;base64,UklGR…"></audio>…<img src="data:image/png;base64,…'
 * ```
 * @throws {AttnError} the errors of transcribe() and decodeWav(), except MODEL_NOT_FOUND for a shipped model (see
 * taskSection).
 */
export function transcriptionSection(
  model: string,
  speech: ShowcaseSamples['speech'],
): Promise<ReportSection> {
  const heading = {
    id: 'transcription',
    title: 'Speech recognition with word timestamps',
    summary:
      'An espeak-ng recording transcribed; every word is timed by dynamic time warping over the cross-attention of the alignment heads, and drawn over the spectrogram.',
  };
  return taskSection(heading, model, async () => {
    const result = await transcribe(speech.path, { model });
    const wav = (await readFile(speech.path)).toString('base64');
    const rows = result.words.map((word) => [
      word.word,
      seconds(word.start),
      seconds(word.end),
      word.confidence.toFixed(2),
    ]);
    return h('div', {}, [
      h('audio', { controls: true, src: `data:audio/wav;base64,${wav}` }),
      h('p', {}, [
        h('strong', {}, 'transcript '),
        result.words.map((word, index) => [
          index > 0 ? ' ' : null,
          h('span', { title: `${seconds(word.start)}–${seconds(word.end)} s` }, word.word),
        ]),
      ]),
      await pictureOf(model, result, speech.path),
      htmlTable(['word', 'start (s)', 'end (s)', 'confidence'], rows, {
        caption: 'words with times from cross-attention',
      }),
      h(
        'p',
        { class: 'note' },
        `Spoken: “${speech.text}”; true word times (espeak-ng, one word at a time): ${speech.words
          .map((word) => `${word.word} ${seconds(word.start)}–${seconds(word.end)}`)
          .join(', ')}.`,
      ),
    ]);
  });
}
