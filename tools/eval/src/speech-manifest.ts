// The held-out speech sets the speech-data recipe writes: DIR/manifest.jsonl, one utterance a line,
//   {"wav": "audio/00000.wav", "text": "A dog runs on the beach.",
//    "words": [{"word": "A", "start": 0.12, "end": 0.2}, {"word": "dog", "start": 0.2, "end": 0.51}, ...]}
// `wav` is relative to DIR; times are seconds from the start of the file; `words` spell `text` in order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimedWord } from './word-boundary-error.js';

/** One utterance of a manifest, its WAV path made absolute. */
export interface SpeechUtterance {
  wav: string;
  text: string;
  words: TimedWord[];
}

/**
 * The first `limit` (default all) utterances of DIR/manifest.jsonl.
 *
 * @example
 * ```ts
 * readSpeechManifest('../model-zoo/work/speech/test', 2)[0]!.text; // 'A teenager plays her trumpet on the field at a game.'
 * ```
 * @throws {Error} naming the line when an entry lacks wav, text or words.
 */
export function readSpeechManifest(folder: string, limit?: number): SpeechUtterance[] {
  return readFileSync(join(folder, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, limit)
    .map((line, index) => {
      const utterance = JSON.parse(line) as SpeechUtterance;
      if (
        typeof utterance.wav !== 'string' ||
        typeof utterance.text !== 'string' ||
        !Array.isArray(utterance.words)
      )
        throw new Error(
          `${join(folder, 'manifest.jsonl')} line ${index + 1}: expected {wav, text, words: [{word, start, end}]}`,
        );
      return { ...utterance, wav: join(folder, utterance.wav) };
    });
}

/**
 * `words` moved `seconds` later: an utterance's gold times once it is placed `seconds` into longer audio.
 *
 * @example
 * ```ts
 * shiftWords([{ word: 'A', start: 0.12, end: 0.2 }], 10); // [{ word: 'A', start: 10.12, end: 10.2 }]
 * ```
 */
export function shiftWords(words: readonly TimedWord[], seconds: number): TimedWord[] {
  return words.map((word) => ({ ...word, start: word.start + seconds, end: word.end + seconds }));
}
