// Where the windows of long audio lie: each ends in a pause where it can (so that no window starts or ends inside a
// sentence), and the next begins where the model stopped writing when it stopped early.

/** The shortest quiet run taken as a pause between sentences (pauses inside a sentence are mostly shorter). */
const minimumPauseSeconds = 0.2;

/**
 * Where a window of long audio ends and the next begins (offsets from the window's first sample). If the second
 * half of the window holds a pause — a run of at least 0.2 s of 20 ms frames within 6 dB of the window's quietest
 * tenth and 12 dB under its median frame — the window ends at the end of the longest such pause (the latest, on
 * ties) and the next starts at its start: both windows hold the pause, no word straddles the cut. Otherwise the
 * window ends at the quietest frame of its last `overlap` samples and the next starts at the quietest frame ½–1 ×
 * `overlap` before that. The last window keeps all it read.
 *
 * @example
 * ```ts
 * // 6 s read at 16 kHz of speech with pauses at 1.0–1.3 s, 3.5–3.9 s and 5.0–5.3 s
 * // the longest pause of the second half is 3.5–3.9 s
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
  const pause = longestPause(samples, Math.floor(samples.length / 2), sampleRate);
  if (pause !== undefined) return { end: pause.end, next: pause.start };
  const end = quietestPoint(samples, samples.length - overlap, samples.length, sampleRate);
  const next = quietestPoint(samples, end - overlap, end - Math.floor(overlap / 2), sampleRate);
  return { end, next };
}

/** The longest run of quiet frames whose centre lies at or after `from`, as sample offsets [start, end). */
function longestPause(
  samples: Float32Array,
  from: number,
  sampleRate: number,
): { start: number; end: number } | undefined {
  const half = Math.round(0.01 * sampleRate);
  const energies: number[] = [];
  for (let centre = 0; centre < samples.length; centre += half)
    energies.push(frameEnergy(samples, centre, half));
  const sorted = [...energies].sort((a, b) => a - b);
  const floor = sorted[Math.floor(sorted.length / 10)] as number;
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  // within 6 dB of the quietest tenth, and 12 dB under the median frame (audio without pauses has none)
  const quiet = (energy: number): boolean => energy <= 4 * floor && 16 * energy <= median;
  let best: { start: number; end: number } | undefined;
  for (let f = 0; f < energies.length;) {
    if (!quiet(energies[f] as number)) {
      f++;
      continue;
    }
    let g = f;
    while (g < energies.length && quiet(energies[g] as number)) g++;
    const start = f * half;
    const end = Math.min(samples.length, (g - 1) * half + half);
    const long = end - start >= minimumPauseSeconds * sampleRate;
    if (
      long &&
      (start + end) / 2 >= from &&
      (best === undefined || end - start >= best.end - best.start)
    )
      best = { start, end };
    f = g;
  }
  return best;
}

/** Energy of the 20 ms frame centred on `centre` (`half` samples each side, cut at the ends). */
function frameEnergy(samples: Float32Array, centre: number, half: number): number {
  let energy = 0;
  for (let i = Math.max(0, centre - half); i < Math.min(samples.length, centre + half); i++)
    energy += (samples[i] as number) ** 2;
  return energy;
}

/** The centre of the 20 ms frame (10 ms hop) of least energy whose centre lies in [from, to); the earliest on ties. */
function quietestPoint(
  samples: Float32Array,
  from: number,
  to: number,
  sampleRate: number,
): number {
  const half = Math.round(0.01 * sampleRate);
  const hop = half;
  let best = from;
  let bestEnergy = Number.POSITIVE_INFINITY;
  for (let centre = from; centre < to; centre += hop) {
    const energy = frameEnergy(samples, centre, half);
    if (energy < bestEnergy) {
      bestEnergy = energy;
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
  const earliest = Math.round(0.5 * sampleRate);
  const lastEnd = last === undefined ? planned : Math.round(last.end * sampleRate) - first;
  if (lastEnd >= planned) return first + planned;
  const from = Math.max(earliest, lastEnd - Math.round(0.1 * sampleRate));
  const to = Math.min(planned, lastEnd + Math.round(0.5 * sampleRate));
  return (
    first + (from < to ? quietestPoint(samples, from, to, sampleRate) : Math.min(from, planned))
  );
}
