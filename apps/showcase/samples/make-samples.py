#!/usr/bin/python3
"""Regenerates the showcase's generated samples, byte for byte: scene.png + scene.json (a synthetic shape scene from
tools/model-zoo/zoo/scenes.py, the generator of the vision models' data) and speech.wav + speech.json (texts.json's
"speech" sentence spoken by espeak-ng, https://github.com/espeak-ng/espeak-ng, with each word's exact time).

Usage: /usr/bin/python3 apps/showcase/samples/make-samples.py [--out DIR] [--check]
  --out DIR  write there instead of beside this script
  --check    write into a temporary folder and exit 1 unless every file equals the committed one
"""
from __future__ import annotations

import argparse
import filecmp
import json
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np
import scipy.signal

SAMPLES = Path(__file__).resolve().parent
sys.path.insert(0, str(SAMPLES.parents[2] / "tools" / "model-zoo"))

from zoo.scenes import CLASSES, generate_scene  # noqa: E402

# A stream of its own (the vision recipes train on 1001 and hold out 2002 / 3003); scene 8 has four separate shapes.
SCENE_SEED, SCENE_INDEX, SCENE_WIDTH, SCENE_HEIGHT = 4004, 8, 320, 256
# A dialect + variant and a speed from the ranges attn/whisper-espeak was trained on (zoo/speech_data.py).
VOICE, SPEED_WPM, PITCH = "en-us+m3", 160, 50
ESPEAK_RATE, SAMPLE_RATE = 22050, 16000
PAUSE_SECONDS, EDGE_SECONDS = 0.12, 0.3  # between words; before the first and after the last
GENERATED = ["scene.png", "scene.json", "speech.wav", "speech.json"]


def write_scene(out: Path) -> None:
    image, objects = generate_scene(SCENE_SEED, SCENE_INDEX, SCENE_WIDTH, SCENE_HEIGHT)
    image.save(out / "scene.png")
    document = {
        "generator": f"tools/model-zoo/zoo/scenes.py generate_scene(seed={SCENE_SEED}, index={SCENE_INDEX}, "
                     f"width={SCENE_WIDTH}, height={SCENE_HEIGHT})",
        "objects": [{"label": CLASSES[item["category_id"]], "bbox": item["bbox"]} for item in objects],
    }
    (out / "scene.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def spoken_word(word: str) -> np.ndarray:
    """espeak-ng's int16 samples at 22,050 Hz of one word, its leading and trailing silence (exact zeros) cut."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "word.wav"
        subprocess.run(["espeak-ng", "-v", VOICE, "-s", str(SPEED_WPM), "-p", str(PITCH), "-w", str(path), word],
                       check=True, capture_output=True)
        with wave.open(str(path)) as file:
            assert file.getframerate() == ESPEAK_RATE and file.getnchannels() == 1 and file.getsampwidth() == 2
            samples = np.frombuffer(file.readframes(file.getnframes()), dtype="<i2")
    sounding = np.flatnonzero(samples)
    return samples[sounding[0] : sounding[-1] + 1]


def write_speech(out: Path, sentence: str) -> None:
    """Each word spoken on its own and joined with fixed pauses, so every word's first and last sample is known."""
    words = sentence.split()
    pieces, times = [np.zeros(round(EDGE_SECONDS * ESPEAK_RATE))], []
    position = len(pieces[0])
    for index, word in enumerate(words):
        if index > 0:
            pieces.append(np.zeros(round(PAUSE_SECONDS * ESPEAK_RATE)))
            position += len(pieces[-1])
        pieces.append(spoken_word(word).astype(np.float64))
        times.append((position / ESPEAK_RATE, (position + len(pieces[-1])) / ESPEAK_RATE))
        position += len(pieces[-1])
    pieces.append(np.zeros(round(EDGE_SECONDS * ESPEAK_RATE)))
    signal = scipy.signal.resample_poly(np.concatenate(pieces), SAMPLE_RATE // 50, ESPEAK_RATE // 50)  # 320 / 441
    samples = np.clip(np.round(signal), -32768, 32767).astype("<i2")
    with wave.open(str(out / "speech.wav"), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(SAMPLE_RATE)
        file.writeframes(samples.tobytes())
    document = {
        "text": sentence,
        "espeak-ng": f"espeak-ng -v {VOICE} -s {SPEED_WPM} -p {PITCH} -w word.wav <word>, one word at a time; "
                     f"silence cut, {PAUSE_SECONDS} s between words, {EDGE_SECONDS} s before and after; "
                     f"resampled from {ESPEAK_RATE} to {SAMPLE_RATE} Hz (scipy resample_poly 320/441), 16-bit mono",
        "durationSeconds": round(len(samples) / SAMPLE_RATE, 5),
        "words": [{"word": word, "start": round(start, 5), "end": round(end, 5)}
                  for word, (start, end) in zip(words, times)],
    }
    (out / "speech.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=SAMPLES)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    sentence = json.loads((SAMPLES / "texts.json").read_text(encoding="utf-8"))["speech"]
    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary) if args.check else args.out
        out.mkdir(parents=True, exist_ok=True)
        write_scene(out)
        write_speech(out, sentence)
        if args.check:
            differing = [name for name in GENERATED
                         if not (SAMPLES / name).exists() or not filecmp.cmp(out / name, SAMPLES / name, shallow=False)]
            if differing:
                raise SystemExit(f"these samples differ from what make-samples.py writes: {', '.join(differing)}; "
                                 f"regenerate them with /usr/bin/python3 {Path(__file__).relative_to(SAMPLES.parents[2])}")
            print(f"samples match: {', '.join(GENERATED)}")


if __name__ == "__main__":
    main()
