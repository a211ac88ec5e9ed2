// Where the windows of long audio lie: each ends in a pause where it can (so that no window starts or ends inside a
// sentence), begins just before its first sound, and the next begins where the model stopped writing when it stopped
// early, or just before the next sentence when the transcript ended one and went on.
import type { WindowWord } from './merge-windows.js';

/** How far before the first word of the next sentence a window of long audio opens when it hands over there. */
const handoverLeadSeconds = 0.15;
/** The least a window of long audio hands over after its own start, so that the windows always move on. */
const minimumAdvanceSeconds = 0.5;
/** The shortest quiet run taken as a pause between sentences. */
const minimumPauseSeconds = 0.15;
/** The silence kept before a window's first sound (the speech recipe's clips open with 0.1–0.35 s of it). */
const leadInSeconds = 0.1;

/**
 * Where a window of long audio ends and the next begins (offsets from the window's first sample). If the window
 * holds a pause after its first third — a run of at least 0.15 s of quiet 20 ms frames (see {@link quietFrames}) —
 * the window ends at the end of the longest such pause (the latest, on ties) and the next starts at its start: both
 * windows hold the pause, no word straddles the cut. Otherwise the window ends at the quietest frame of its last
 * `overlap` samples and the next starts at the quietest frame ½–1 × `overlap` before that. The last window keeps all
 * it read.
 *
 * @example
 * ```ts
 * // 6 s read at 16 kHz of speech with pauses at 1.0–1.3 s, 3.5–3.9 s and 5.0–5.3 s
 * // the longest pause after 2 s is 3.5–3.9 s
 * windowBounds(samples, false, 16000, 16000); // { end: 62…, next: 56… }
 * ```
 */
export function windowBounds(
  samples: Float32Array,
  last: boolean,
  overlap: number,
  sampleRate: number,
): { end: number; next: number | undefined } {
  if (last) return { end: samples.length, next: undefined };
  const pause = longestPause(samples, Math.floor(samples.length / 3), sampleRate);
  if (pause !== undefined) return { end: pause.end, next: pause.start };
  const end = quietestPoint(samples, samples.length - overlap, samples.length, sampleRate);
  const next = quietestPoint(samples, end - overlap, end - Math.floor(overlap / 2), sampleRate);
  return { end, next };
}

/**
 * How far a window of long audio should move forward so that it opens 0.1 s before its first sound after a pause,
 * when it opens with one (a pause, as {@link windowBounds} finds them, that begins within its first half second: the
 * window may start on the last of the previous sound, and quiet frames scattered through that sound's tail do not
 * count); else 0. The price: a short word between the window's first quiet frames and such a pause is skipped too. A
 * window opens there only when it starts at a quiet point between words (the cut of a window without a pause, or
 * where the model stopped writing early: {@link nextWindowStart}); on held-out speech joined into long audio the rule
 * lowered WER (tools/eval's long-form.ts). A model trained on clips whose speech starts within a few tenths of a
 * second misreads windows that open with a long silence: attn/whisper-espeak's held-out WER goes from 27.49% to
 * 32.26% after 0.4 s of silence and to 48.65% after 1 s (tools/eval's transcribe-wer.ts --lead-silence).
 *
 * @example
 * ```ts
 * // 6 s read at 16 kHz: a pause, then speech from 0.9 s
 * leadingPause(samples, 16000); // 12800 (0.8 s)
 * ```
 */
export function leadingPause(samples: Float32Array, sampleRate: number): number {
  const first = pauses(samples, sampleRate)[0];
  // a pause that runs to the end of what was read has no sound after it to move to
  if (first === undefined || first.start > 0.5 * sampleRate || first.end >= samples.length)
    return 0;
  // a pause lasts longer than the lead-in, so this stays inside it
  return first.end - Math.round(leadInSeconds * sampleRate);
}

/**
 * Which 20 ms frames of `samples` (hop 10 ms, frame f centred on sample f · hop) are quiet: 20 dB under the loudest
 * frame within a second of them. The test is relative to the sound around each frame, so that pauses are found
 * under any steady noise floor, and in windows whose sentences were recorded at different levels.
 */
function quietFrames(samples: Float32Array, sampleRate: number): { quiet: boolean[]; hop: number } {
  const hop = frameHop(sampleRate);
  const powers: number[] = [];
  for (let centre = 0; centre < samples.length; centre += hop)
    powers.push(framePower(samples, centre, hop));
  const reach = Math.round(sampleRate / hop); // frames in a second
  const quiet = powers.map((power, f) => {
    let loudest = 0;
    for (let g = Math.max(0, f - reach); g <= Math.min(powers.length - 1, f + reach); g++)
      loudest = Math.max(loudest, powers[g] as number);
    return 100 * power <= loudest;
  });
  return { quiet, hop };
}

/** The longest pause whose centre lies at or after `from` (the latest, on ties). */
function longestPause(
  samples: Float32Array,
  from: number,
  sampleRate: number,
): { start: number; end: number } | undefined {
  let best: { start: number; end: number } | undefined;
  for (const pause of pauses(samples, sampleRate))
    if (
      (pause.start + pause.end) / 2 >= from &&
      (best === undefined || pause.end - pause.start >= best.end - best.start)
    )
      best = pause;
  return best;
}

/** The pauses of `samples` in order: runs of quiet frames lasting at least 0.15 s, as sample offsets [start, end). */
function pauses(samples: Float32Array, sampleRate: number): { start: number; end: number }[] {
  const { quiet, hop } = quietFrames(samples, sampleRate);
  const found: { start: number; end: number }[] = [];
  for (let f = 0; f < quiet.length;) {
    if (!quiet[f]) {
      f++;
      continue;
    }
    let g = f;
    while (g < quiet.length && quiet[g]) g++;
    const start = f * hop;
    const end = Math.min(samples.length, g * hop);
    if (end - start >= minimumPauseSeconds * sampleRate) found.push({ start, end });
    f = g;
  }
  return found;
}

/** Samples in 10 ms: the hop of the 20 ms frames, and half a frame. */
function frameHop(sampleRate: number): number {
  return Math.round(0.01 * sampleRate);
}

/**
 * Mean power of the 20 ms frame centred on `centre` (`half` samples each side, cut at the ends): a mean, so that the
 * cut frames at the ends are not quieter than the sound they hold.
 */
function framePower(samples: Float32Array, centre: number, half: number): number {
  const from = Math.max(0, centre - half);
  const to = Math.min(samples.length, centre + half);
  let energy = 0;
  for (let i = from; i < to; i++) energy += (samples[i] as number) ** 2;
  return energy / Math.max(1, to - from);
}

/** The centre of the 20 ms frame (10 ms hop) of least power whose centre lies in [from, to); the earliest on ties. */
function quietestPoint(
  samples: Float32Array,
  from: number,
  to: number,
  sampleRate: number,
): number {
  const hop = frameHop(sampleRate);
  let best = from;
  let bestPower = Number.POSITIVE_INFINITY;
  for (let centre = from; centre < to; centre += hop) {
    const power = framePower(samples, centre, hop);
    if (power < bestPower) {
      bestPower = power;
      best = centre;
    }
  }
  return best;
}

/**
 * The start of the window after the one at `first` (`samples` is what was read from there): where the transcript
 * stopped, when the model ended it before the planned start (Whisper's own long-form loop seeks past the last
 * complete segment in the same way: a model that writes one sentence per window would otherwise leave the rest of
 * the window untranscribed), else the planned start. Where it stopped is the quietest point from 0.1 s before the
 * last word's end to 0.5 s after it (the pause after the sentence), and at least half a second after `first`.
 */
export function nextWindowStart(
  first: number,
  planned: number | undefined,
  words: readonly { end: number }[],
  samples: Float32Array,
  sampleRate: number,
): number | undefined {
  if (planned === undefined) return undefined;
  const last = words.at(-1);
  const earliest = Math.round(minimumAdvanceSeconds * sampleRate);
  const lastEnd = last === undefined ? planned : Math.round(last.end * sampleRate) - first;
  if (lastEnd >= planned) return first + planned;
  const from = Math.max(earliest, lastEnd - Math.round(0.1 * sampleRate));
  const to = Math.min(planned, lastEnd + Math.round(0.5 * sampleRate));
  return (
    first + (from < to ? quietestPoint(samples, from, to, sampleRate) : Math.min(from, planned))
  );
}

/** A word of a window's transcript as the hand-over reads it: its text and its times in seconds. */
type SpokenWord = Pick<WindowWord, 'surface' | 'start' | 'end'>;

/** What a transcribed window of long audio hands on: its share of the audio, its words, the next window's start. */
export interface WindowHandoff {
  /** Where the window's share of the audio ends (samples from the start of the audio). */
  end: number;
  /** How many of the window's words it keeps (the first ones). */
  keep: number;
  /** Where the next window starts (samples); undefined after the last window. */
  next: number | undefined;
}

/**
 * What a window of long audio hands on once transcribed. The window starts at sample `first`, `read` is the audio
 * read from there, `end` where the transcribed audio ended and `planned` where {@link windowBounds} planned the next
 * window (offsets from `first`; undefined for the last window), `previousEnd` where the previous window's audio ended
 * (samples). In order: a window whose transcript ends a sentence and goes on hands over after it
 * ({@link sentenceHandover}) and keeps its words up to there; a window whose model stopped writing before the planned
 * start hands over where it stopped ({@link nextWindowStart}); either way its share of the audio ends where the next
 * window starts. Otherwise it keeps all its words and its audio, and the next window starts as planned.
 *
 * @example
 * ```ts
 * // at 1 kHz, a window at 10 s that read 6 s, cut at a pause 4.6–5.2 s in, and wrote sentenceHandover's example words
 * windowHandoff(10_000, read, 5_200, 4_600, words, 9_000, 1000); // { end: 11_650, keep: 1, next: 11_650 }
 * ```
 */
export function windowHandoff(
  first: number,
  read: Float32Array,
  end: number,
  planned: number | undefined,
  words: readonly SpokenWord[],
  previousEnd: number,
  sampleRate: number,
): WindowHandoff {
  if (planned === undefined) return { end: first + end, keep: words.length, next: undefined };
  const handover = sentenceHandover(first, words, previousEnd, sampleRate);
  if (handover !== undefined) return { end: handover.next, ...handover };
  const next = nextWindowStart(first, planned, words, read, sampleRate) as number;
  return { end: next < first + planned ? next : first + end, keep: words.length, next };
}

/**
 * Where a window of long audio hands over to the next when its transcript ends a sentence and goes on: after the
 * last word that ends in '.', '!' or '?' (closing quotes or brackets after it allowed) and has a word after it that
 * does not end one (blank words do not count: a transcript that ends a sentence is complete, and
 * {@link nextWindowStart} seeks past its end), if that word ends at least half a second after `first` (samples).
 * The window keeps its words up to that one (`keep`) and the next window starts 0.15 s before the next word (`next`,
 * samples; word times are in seconds, start ≤ end), but not before the middle of the sentence's last word nor within
 * half a second of `first`. So the next window opens on a sentence's first word, as the model's training clips do,
 * and the words after the sentence end, which this window may have cut off, are read again with the rest of their
 * sentence. Undefined when the transcript ends no sentence before it goes on, or when the hand-over would come
 * before `previousEnd`, where the previous window's audio ended (samples): the merge compares neighbouring windows
 * only, so the words that window heard after the hand-over would be kept twice. Captions without a final full stop
 * give no hand-over; an abbreviation such as "Mr." gives one inside a sentence.
 *
 * @example
 * ```ts
 * const words = [
 *   { surface: ' A dog.', start: 10.2, end: 11.8 },
 *   { surface: ' Two', start: 11.8, end: 12.1 },
 *   { surface: ' cats', start: 12.1, end: 12.6 },
 * ];
 * sentenceHandover(160_000, words, 0, 16_000); // { keep: 1, next: 186_400 } (11.65 s)
 * ```
 */
export function sentenceHandover(
  first: number,
  words: readonly SpokenWord[],
  previousEnd: number,
  sampleRate: number,
): { keep: number; next: number } | undefined {
  const spoken = words.flatMap((word, index) => (word.surface.trim() === '' ? [] : [index]));
  const endsSentence = (index: number): boolean =>
    /[.!?]["')\]]*$/.test((words[index] as SpokenWord).surface);
  if (spoken.length === 0 || endsSentence(spoken.at(-1) as number)) return undefined;
  for (let k = spoken.length - 2; k >= 0; k--) {
    const last = spoken[k] as number;
    if (!endsSentence(last)) continue;
    const end = words[last] as SpokenWord;
    if (end.end * sampleRate < first + minimumAdvanceSeconds * sampleRate) return undefined;
    const opening = (words[spoken[k + 1] as number] as SpokenWord).start - handoverLeadSeconds;
    const next = Math.max(
      Math.round(Math.max((end.start + end.end) / 2, opening) * sampleRate),
      first + Math.round(minimumAdvanceSeconds * sampleRate),
    );
    return next < previousEnd ? undefined : { keep: last + 1, next };
  }
  return undefined;
}
