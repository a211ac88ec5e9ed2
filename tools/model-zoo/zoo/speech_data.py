"""Synthetic English speech with gold word boundaries (issue 5, item 4), and Whisper's log-mel features.

Multi30k captions are spoken by espeak-ng (https://github.com/espeak-ng/espeak-ng) across voices (dialect + voice
variant), speeds and pitches, re-timed with seeded pauses, reverberated with a seeded synthetic room impulse response,
mixed with seeded noise and written as 16 kHz mono 16-bit WAV, one manifest line per utterance:
  {"wav": "audio/00000.wav", "text": "...", "words": [{"word", "start", "end"}, ...], ...}  (seconds)
which is the layout tools/eval/src/transcribe-wer.ts reads.

Gold word boundaries, exact by construction: one espeak-ng process per utterance reads SSML in which every word is
followed by <break time="500ms"/>. espeak-ng writes pauses as digital silence (samples exactly 0; the voice variants
below were chosen because they do — some others add breath noise to pauses), while no word holds a zero run
longer than ~60 ms, so the output splits into the words at zero runs of at least 0.3 s; a word is the span from its
first to its last non-zero sample (a leading stop closure, itself silent, goes to the pause before it). A sentence
whose spans do not number its words is skipped. The word spans are joined again with seeded pauses, so each word's
first and last sample in the new signal are known exactly; they are converted to seconds at espeak-ng's 22,050 Hz
before the polyphase resampling to 16 kHz, and they are those of the dry (direct) sound: reverberation adds a
decaying tail after each word that the gold end does not include. `energy_check` compares them with the energy
envelope of the dry 16 kHz signal.

Log-mel: Whisper's (openai/whisper audio.py log_mel_spectrogram): periodic Hann window of 400, hop 160, centred STFT
with reflect padding, last frame dropped, power, Slaney mel filters (librosa's, as mel_filters.npz ships them),
log10 floored at 1e-10, clamped to 8 below the maximum (per utterance), then (x + 4) / 4.
"""
from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import scipy.io.wavfile
import scipy.signal
import torch

from .data import DataError

ESPEAK_RATE = 22050
SAMPLE_RATE = 16000
BREAK_MILLISECONDS = 500
SPLIT_SILENCE_SECONDS = 0.3  # zero runs at least this long separate words; the longest inside a word is ~60 ms

# Voices: a dialect (espeak-ng language voice) + a voice variant (espeak-ng-data/voices/!v); all write exact zeros in
# pauses. Held-out voices use variants never heard in training, and two dialects never heard in training.
TRAIN_DIALECTS = ("en-us", "en", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-us-nyc")
HELD_OUT_DIALECTS = ("en-029", "en-gb-scotland")
TRAIN_VARIANTS = ("m1", "m3", "m4", "m5", "klatt", "klatt2", "Alex", "Andy", "Denis", "benjamin", "david", "robert",
                  "f1", "Annie", "aunty", "belinda", "steph", "anika")
HELD_OUT_VARIANTS = ("m6", "m7", "klatt3", "max", "edward", "Andrea", "linda", "shelby")


@dataclass(frozen=True)
class Variation:
    """Ranges every utterance draws from (uniformly, seeded)."""

    speed_wpm: tuple[int, int] = (140, 210)  # espeak-ng -s
    pitch: tuple[int, int] = (30, 70)  # espeak-ng -p (0–99, default 50)
    pause_seconds: tuple[float, float] = (0.02, 0.15)  # between words
    edge_seconds: tuple[float, float] = (0.1, 0.4)  # before the first and after the last word
    reverb_probability: float = 0.5
    rt60_seconds: tuple[float, float] = (0.1, 0.5)
    direct_to_reverberant_db: tuple[float, float] = (3.0, 15.0)
    noise_probability: float = 0.9
    snr_db: tuple[float, float] = (5.0, 30.0)  # over the speech power inside the word spans
    peak: tuple[float, float] = (0.25, 0.9)  # of full scale


@dataclass(frozen=True)
class SplitSpec:
    """One speech split: `count` captions of Multi30k task 1 `sentences`, spoken by `dialects` × `variants`."""

    name: str
    sentences: str
    count: int
    dialects: tuple[str, ...]
    variants: tuple[str, ...]
    seed: int
    max_seconds: float  # utterances longer than this (the model's chunk, less a margin) are skipped
    max_words: int = 14
    variation: Variation = Variation()


# ---------------------------------------------------------------------------------------------------- synthesis

def espeak_words(words: list[str], voice: str, speed: int, pitch: int) -> np.ndarray:
    """espeak-ng's int16 samples at 22,050 Hz of the words, each followed by a BREAK_MILLISECONDS pause."""
    ssml = "<speak>" + f' <break time="{BREAK_MILLISECONDS}ms"/> '.join(escape(word) for word in words) + "</speak>"
    try:
        completed = subprocess.run(["espeak-ng", "-m", "-v", voice, "-s", str(speed), "-p", str(pitch), "--stdout", ssml],
                                   capture_output=True, check=True)
    except FileNotFoundError as error:
        raise DataError("espeak-ng not found on PATH; install it (apt-get install espeak-ng)") from error
    return wav_payload(completed.stdout, ESPEAK_RATE)


def wav_payload(document: bytes, sample_rate: int) -> np.ndarray:
    """The int16 samples of a mono 16-bit WAV as espeak-ng streams it (its RIFF and data sizes are placeholders)."""
    rate = int.from_bytes(document[24:28], "little")
    if document[:4] != b"RIFF" or rate != sample_rate:
        raise DataError(f"espeak-ng wrote no {sample_rate} Hz WAV (header {document[:44]!r})")
    start = document.index(b"data") + 8
    payload = document[start : start + (len(document) - start) // 2 * 2]
    return np.frombuffer(payload, dtype="<i2")


def word_spans(samples: np.ndarray, minimum_silence: int) -> list[tuple[int, int]]:
    """[start, end) sample spans of the sounds separated by runs of ≥ minimum_silence zero samples; each span runs
    from a non-zero sample to one past a non-zero sample."""
    nonzero = np.flatnonzero(samples)
    if nonzero.size == 0:
        return []
    splits = np.flatnonzero(np.diff(nonzero) - 1 >= minimum_silence)  # zero run between nonzero[i] and nonzero[i+1]
    starts = np.concatenate([nonzero[:1], nonzero[splits + 1]])
    ends = np.concatenate([nonzero[splits] + 1, nonzero[-1:] + 1])
    return list(zip(starts.tolist(), ends.tolist()))


def join_words(segments: list[np.ndarray], pauses: list[int], lead: int, trail: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Silence (lead), word, pause, word, …, word, silence (trail) → samples and each word's [start, end)."""
    total = lead + sum(len(segment) for segment in segments) + sum(pauses) + trail
    signal = np.zeros(total, dtype=np.float64)
    spans, position = [], lead
    for index, segment in enumerate(segments):
        if index:
            position += pauses[index - 1]
        signal[position : position + len(segment)] = segment
        spans.append((position, position + len(segment)))
        position += len(segment)
    return signal, spans


# ---------------------------------------------------------------------------------------------------- room and noise

def room_impulse_response(rng: np.random.Generator, rt60: float, direct_to_reverberant_db: float) -> np.ndarray:
    """A synthetic room at 16 kHz: the direct sound (1 at t = 0), then from 2 ms Gaussian noise decaying by 60 dB
    over rt60 (Sabine-style exponential decay, Schroeder's statistical model), scaled to the given
    direct-to-reverberant energy ratio."""
    length = int(rt60 * SAMPLE_RATE)
    seconds = np.arange(length) / SAMPLE_RATE
    tail = rng.standard_normal(length) * np.exp(-np.log(1000.0) * seconds / rt60)  # amplitude −60 dB at rt60
    tail[: int(0.002 * SAMPLE_RATE)] = 0.0
    tail *= np.sqrt(10 ** (-direct_to_reverberant_db / 10) / np.sum(tail**2))
    tail[0] = 1.0
    return tail


def colored_noise(rng: np.random.Generator, length: int, exponent: float) -> np.ndarray:
    """Gaussian noise with power spectral density ∝ 1/f^exponent (0 white, 1 pink, 2 brown), unit variance."""
    spectrum = np.fft.rfft(rng.standard_normal(length))
    frequencies = np.fft.rfftfreq(length)
    frequencies[0] = frequencies[1]
    noise = np.fft.irfft(spectrum / frequencies ** (exponent / 2), n=length)
    return noise / np.std(noise)


def span_mask(length: int, times: list[tuple[float, float]]) -> np.ndarray:
    """True on the 16 kHz samples inside any [start, end) of `times` (seconds)."""
    mask = np.zeros(length, dtype=bool)
    for start, end in times:
        mask[int(np.floor(start * SAMPLE_RATE)) : int(np.ceil(end * SAMPLE_RATE))] = True
    return mask


# ---------------------------------------------------------------------------------------------------- energy check

def energy_check(dry: np.ndarray, times: list[tuple[float, float]], range_db: float = 30.0) -> dict:
    """Gold word boundaries against the energy envelope of the dry 16 kHz signal.

    Envelope: power averaged over a centred 5 ms window, in dB. A word's detected start (end) is the first (last)
    sample of its search window whose level is within range_db of the word's loudest sample; the window reaches
    50 ms beyond the gold span, but not past the middle of the pause to the next word. Returns the signed start and
    end differences (detected − gold, seconds) and the fraction of the signal's energy outside the gold spans
    (0 for exact boundaries, up to the resampling filter's ringing).
    """
    power = dry**2
    envelope = 10 * np.log10(np.convolve(power, np.ones(80) / 80, mode="same") + 1e-20)
    margin = 0.05
    start_differences, end_differences = [], []
    for index, (start, end) in enumerate(times):
        earliest = max(start - margin, (times[index - 1][1] + start) / 2 if index else 0.0)
        latest = min(end + margin, (end + times[index + 1][0]) / 2 if index + 1 < len(times) else len(dry) / SAMPLE_RATE)
        window_start = int(np.ceil(earliest * SAMPLE_RATE))
        window = envelope[window_start : int(np.floor(latest * SAMPLE_RATE))]
        peak = envelope[int(np.floor(start * SAMPLE_RATE)) : int(np.ceil(end * SAMPLE_RATE))].max()
        loud = np.flatnonzero(window >= peak - range_db)
        start_differences.append((window_start + loud[0]) / SAMPLE_RATE - start)
        end_differences.append((window_start + loud[-1] + 1) / SAMPLE_RATE - end)
    outside = float(power[~span_mask(len(dry), times)].sum() / max(power.sum(), 1e-20))
    return {"start": start_differences, "end": end_differences, "outside_energy": outside}


# ---------------------------------------------------------------------------------------------------- utterances

def make_utterance(job: tuple[SplitSpec, int, str]) -> dict:
    """Synthesise caption `text` as attempt `attempt` of the split: a pure function of (spec, attempt, text).

    Returns {"skipped": reason} or the int16 16 kHz samples, the timed words and what was drawn.
    """
    spec, attempt, text = job
    variation = spec.variation
    rng = np.random.default_rng([spec.seed, attempt])
    words = text.split()
    voice = f"{spec.dialects[rng.integers(len(spec.dialects))]}+{spec.variants[rng.integers(len(spec.variants))]}"
    speed = int(rng.integers(variation.speed_wpm[0], variation.speed_wpm[1] + 1))
    pitch = int(rng.integers(variation.pitch[0], variation.pitch[1] + 1))
    spoken = espeak_words(words, voice, speed, pitch)
    spans = word_spans(spoken, int(SPLIT_SILENCE_SECONDS * ESPEAK_RATE))
    if len(spans) != len(words):
        return {"skipped": "word spans differ from words"}
    pauses = [int(rng.uniform(*variation.pause_seconds) * ESPEAK_RATE) for _ in words[1:]]
    lead, trail = (int(rng.uniform(*variation.edge_seconds) * ESPEAK_RATE) for _ in range(2))
    signal, sample_spans = join_words([spoken[start:end] / 32768.0 for start, end in spans], pauses, lead, trail)
    if len(signal) / ESPEAK_RATE > spec.max_seconds:
        return {"skipped": "longer than the chunk"}
    times = [(start / ESPEAK_RATE, end / ESPEAK_RATE) for start, end in sample_spans]
    dry = scipy.signal.resample_poly(signal, SAMPLE_RATE // 50, ESPEAK_RATE // 50)  # 320 / 441
    wet, rt60 = dry, None
    if rng.random() < variation.reverb_probability:
        rt60 = float(rng.uniform(*variation.rt60_seconds))
        response = room_impulse_response(rng, rt60, float(rng.uniform(*variation.direct_to_reverberant_db)))
        wet = scipy.signal.fftconvolve(dry, response)[: len(dry)]
    snr, color = None, None
    if rng.random() < variation.noise_probability:
        snr = float(rng.uniform(*variation.snr_db))
        color = ["white", "pink", "brown"][int(rng.integers(3))]
        speech_power = np.mean(wet[span_mask(len(wet), times)] ** 2)
        noise = colored_noise(rng, len(wet), {"white": 0.0, "pink": 1.0, "brown": 2.0}[color])
        wet = wet + noise * np.sqrt(speech_power / 10 ** (snr / 10))
    wet = wet * (rng.uniform(*variation.peak) / np.abs(wet).max())
    samples = np.clip(np.round(wet * 32768), -32768, 32767).astype(np.int16)
    return {
        "samples": samples,
        "words": [{"word": word, "start": round(start, 5), "end": round(end, 5)} for word, (start, end) in zip(words, times)],
        "duration": round(len(samples) / SAMPLE_RATE, 5),
        "voice": voice, "speed_wpm": speed, "pitch": pitch, "rt60": rt60, "snr_db": snr, "noise": color,
        "check": energy_check(dry, times),
    }


def candidate_sentences(captions: list[str], spec: SplitSpec, exclude: set[str]) -> list[str]:
    """Captions of 2..max_words words, each once, none in `exclude` (compared lower-cased), in a seeded order."""
    seen, kept = set(exclude), []
    for caption in captions:
        text = " ".join(caption.split())
        key = text.lower()
        if 2 <= len(text.split()) <= spec.max_words and key not in seen:
            seen.add(key)
            kept.append(text)
    order = np.random.default_rng(spec.seed).permutation(len(kept))
    return [kept[index] for index in order]


def write_split(folder: Path, spec: SplitSpec, captions: list[str], exclude: set[str], log, workers: int = 2) -> dict:
    """Generate the split into folder (audio/NNNNN.wav, manifest.jsonl, summary.json); returns the summary.

    Attempts run in parallel processes; their results are consumed in attempt order, so the split depends on the
    spec and the captions only.
    """
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "audio").mkdir(parents=True)
    sentences = candidate_sentences(captions, spec, exclude)
    started = time.time()
    lines, skipped, checks = [], {}, {"start": [], "end": [], "outside_energy": []}
    jobs = ((spec, attempt, text) for attempt, text in enumerate(sentences))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for job_result, text in zip(pool.imap(make_utterance, jobs, chunksize=4), sentences):
            if "skipped" in job_result:
                skipped[job_result["skipped"]] = skipped.get(job_result["skipped"], 0) + 1
                continue
            relative = f"audio/{len(lines):05d}.wav"
            scipy.io.wavfile.write(folder / relative, SAMPLE_RATE, job_result.pop("samples"))
            check = job_result.pop("check")
            for key in ("start", "end"):
                checks[key] += check[key]
            checks["outside_energy"].append(check["outside_energy"])
            lines.append({"wav": relative, "text": text, **job_result})
            if len(lines) == spec.count:
                pool.terminate()
                break
    if len(lines) < spec.count:
        raise DataError(f"{spec.name}: only {len(lines)} of {spec.count} utterances could be made from "
                        f"{len(sentences)} captions of Multi30k {spec.sentences} (skipped: {skipped})")
    with open(folder / "manifest.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    summary = {
        "spec": spec_document(spec),
        "utterances": len(lines),
        "words": sum(len(line["words"]) for line in lines),
        "audio_seconds": round(sum(line["duration"] for line in lines), 1),
        "skipped": skipped,
        "generation_seconds": round(time.time() - started, 1),
        "energy_check": energy_summary(checks),
    }
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    log(f"speech: {spec.name}: {summary['utterances']} utterances, {summary['audio_seconds']} s of audio, skipped "
        f"{skipped}, {summary['generation_seconds']} s; energy check {json.dumps(summary['energy_check'])}")
    return summary


def energy_summary(checks: dict) -> dict:
    """Median and 90th percentile of |detected − gold| for starts and ends (ms), and the largest fraction of an
    utterance's dry energy outside its gold word spans."""
    summary = {}
    for key in ("start", "end"):
        differences = np.abs(np.array(checks[key])) * 1000
        summary[f"{key}_median_ms"] = round(float(np.median(differences)), 1)
        summary[f"{key}_p90_ms"] = round(float(np.quantile(differences, 0.9)), 1)
    summary["max_outside_energy"] = float(f"{max(checks['outside_energy']):.2e}")
    return summary


def spec_document(spec: SplitSpec) -> dict:
    return json.loads(json.dumps(asdict(spec)))  # tuples as lists, as the summary file stores them


def ensure_split(folder: Path, spec: SplitSpec, captions: list[str], exclude: set[str], log) -> dict:
    """The split's summary; the split is generated unless folder holds one made from the same spec."""
    summary_path = folder / "summary.json"
    if summary_path.exists():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        if summary["spec"] == spec_document(spec):
            log(f"speech: {spec.name}: {summary['utterances']} utterances already in {folder}")
            return summary
        log(f"speech: {spec.name}: {folder} was made with other settings; regenerating it")
    return write_split(folder, spec, captions, exclude, log)


def read_manifest(folder: Path) -> list[dict]:
    path = folder / "manifest.jsonl"
    if not path.exists():
        raise DataError(f"{path} not found; run train.py whisper-espeak --prepare-only to generate the speech splits")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_samples(folder: Path, utterance: dict) -> np.ndarray:
    """An utterance's int16 samples."""
    rate, samples = scipy.io.wavfile.read(folder / utterance["wav"])
    if rate != SAMPLE_RATE or samples.dtype != np.int16 or samples.ndim != 1:
        raise DataError(f"{folder / utterance['wav']}: expected 16 kHz mono int16, got {rate} Hz {samples.dtype} {samples.shape}")
    return samples


def joined_window(first: tuple[np.ndarray, list[dict]], second: tuple[np.ndarray, list[dict]], chunk_samples: int,
                  rng: np.random.RandomState, gap_seconds: tuple[float, float] = (0.0, 0.5)) -> tuple[np.ndarray, list[dict]]:
    """What a window of long audio holds where two utterances follow each other: the end of `first` (from shortly
    before one of its words, drawn uniformly) and a gap of digital silence, or none of it, then the start of `second`
    (up to shortly after one of its words that still fits in `chunk_samples`, drawn uniformly, or all of it).
    Utterances are (int16 samples, gold words with start and end in seconds). A cut lies 50–300 ms (drawn) from the
    word it keeps, never inside a neighbouring word. Returns the window's int16 samples and its words, timed in it."""
    (a, a_words), (b, b_words) = first, second
    keep_from = rng.randint(0, len(a_words) + 1)  # len(a_words): nothing of `first`
    if keep_from == len(a_words):
        head, kept = np.zeros(0, np.int16), []
    else:
        start = 0
        if keep_from > 0:
            lead = rng.uniform(0.05, 0.3)
            start = round(max(a_words[keep_from - 1]["end"], a_words[keep_from]["start"] - lead) * SAMPLE_RATE)
        head = a[start:]
        kept = shifted_words(a_words[keep_from:], -start / SAMPLE_RATE)
        gap = min(round(rng.uniform(*gap_seconds) * SAMPLE_RATE), max(0, chunk_samples - len(head)))
        head = np.concatenate([head, np.zeros(gap, np.int16)])
    ends = []  # where `second` is cut after each of its words (after its last: its end)
    for index, word in enumerate(b_words):
        if index + 1 == len(b_words):
            ends.append(len(b))
        else:
            trail = rng.uniform(0.05, 0.3)
            ends.append(round(min(word["end"] + trail, b_words[index + 1]["start"]) * SAMPLE_RATE))
    fitting = [index for index, end in enumerate(ends) if len(head) + end <= chunk_samples]
    if not fitting:  # the end of `first` fills the window
        return head, kept
    last = fitting[rng.randint(0, len(fitting))]
    tail = b[: ends[last]]
    return np.concatenate([head, tail]), kept + shifted_words(b_words[: last + 1], len(head) / SAMPLE_RATE)


def shifted_words(words: list[dict], seconds: float) -> list[dict]:
    """Gold words moved by `seconds`."""
    return [dict(word, start=word["start"] + seconds, end=word["end"] + seconds) for word in words]


# ---------------------------------------------------------------------------------------------------- log-mel

N_FFT, HOP_LENGTH, N_MELS = 400, 160, 80


def mel_filters(n_mels: int = N_MELS, n_fft: int = N_FFT, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """[n_mels, n_fft / 2 + 1] Slaney mel filterbank with Slaney area normalisation (librosa.filters.mel defaults,
    Slaney's Auditory Toolbox 1998: linear below 1 kHz, logarithmic above), as Whisper's mel_filters.npz."""
    hertz_per_mel, log_start_hertz = 200.0 / 3, 1000.0
    log_start_mel = log_start_hertz / hertz_per_mel
    mels_per_log_step = 27.0 / np.log(6.4)

    def to_mel(hertz):
        hertz = np.asarray(hertz, dtype=np.float64)
        return np.where(hertz < log_start_hertz, hertz / hertz_per_mel,
                        log_start_mel + np.log(np.maximum(hertz, 1e-10) / log_start_hertz) * mels_per_log_step)

    def to_hertz(mel):
        return np.where(mel < log_start_mel, mel * hertz_per_mel,
                        log_start_hertz * np.exp((mel - log_start_mel) / mels_per_log_step))

    points = to_hertz(np.linspace(to_mel(0.0), to_mel(sample_rate / 2), n_mels + 2))  # [n_mels + 2]
    bins = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)  # [n_fft / 2 + 1]
    rising = (bins[None, :] - points[:-2, None]) / (points[1:-1, None] - points[:-2, None])
    falling = (points[2:, None] - bins[None, :]) / (points[2:, None] - points[1:-1, None])
    weights = np.maximum(0.0, np.minimum(rising, falling)) * (2.0 / (points[2:] - points[:-2]))[:, None]
    return weights.astype(np.float32)


def log_mel(audio: torch.Tensor, filters: torch.Tensor) -> torch.Tensor:
    """Whisper's log-mel of audio [B, N] (float, 16 kHz, already padded to the chunk) → [B, n_mels, N / 160]."""
    window = torch.hann_window(N_FFT)  # periodic, as torch.stft and Whisper use it
    spectrum = torch.stft(audio, N_FFT, HOP_LENGTH, window=window, return_complex=True)  # [B, 201, N / 160 + 1]
    power = spectrum[..., :-1].abs() ** 2  # the last frame is dropped, as Whisper does
    levels = torch.clamp(filters @ power, min=1e-10).log10()  # [B, n_mels, frames]
    levels = torch.maximum(levels, levels.amax(dim=(1, 2), keepdim=True) - 8.0)
    return (levels + 4.0) / 4.0


def padded_audio(samples: list[np.ndarray], chunk_samples: int) -> torch.Tensor:
    """int16 utterances → float [B, chunk_samples] in [-1, 1), zero-padded at the end as Whisper's pad_or_trim."""
    batch = torch.zeros(len(samples), chunk_samples)
    for row, values in enumerate(samples):
        length = min(len(values), chunk_samples)
        batch[row, :length] = torch.from_numpy(values[:length].astype(np.float32) / 32768.0)
    return batch
