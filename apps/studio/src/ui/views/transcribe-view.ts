// A transcription to listen to: playing or scrubbing the audio marks the word being spoken, clicking a word seeks
// to it, and the alignment heads' attention (tokens over time) runs under a playhead.
import { heatmapRaster } from '@attn/core-attention';
import type { TranscribeResult } from '../../api/studio-api.js';
import { element, warningList } from '../dom.js';
import { tokenLabel } from '../token-label.js';
import { wordAtTime } from '../word-at-time.js';

/**
 * The view of a transcription of the audio at `audioUrl`.
 *
 * @example
 * ```ts
 * resultSection.replaceChildren(transcribeView(result, URL.createObjectURL(file)));
 * ```
 */
export function transcribeView(result: TranscribeResult, audioUrl: string): HTMLElement {
  const audio = element('audio', { controls: true, src: audioUrl, preload: 'auto' });
  const words = result.words.map(({ word, start, end }) => {
    const button = element(
      'button',
      {
        type: 'button',
        class: 'token word-start',
        'data-start': start,
        'data-end': end,
        title: `${start.toFixed(2)}–${end.toFixed(2)} s`,
      },
      [word],
    );
    button.addEventListener('click', () => {
      audio.currentTime = start;
      mark();
    });
    return button;
  });
  const playhead = element('div', { class: 'playhead', 'aria-hidden': 'true' });
  let current = -2;
  function mark(): void {
    const index = wordAtTime(result.words, audio.currentTime);
    if (result.durationSeconds > 0)
      playhead.style.left = `${Math.min(100, (audio.currentTime / result.durationSeconds) * 100)}%`;
    if (index === current) return;
    current = index;
    words.forEach((button, wordIndex) => {
      if (wordIndex === index) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    });
  }
  audio.addEventListener('timeupdate', mark);
  audio.addEventListener('seeked', mark);
  return element('article', { class: 'result' }, [
    element('h2', {}, ['Transcript']),
    element('p', { class: 'prediction' }, [result.text === '' ? '(nothing heard)' : result.text]),
    audio,
    element('p', { class: 'hint' }, [
      'Play or scrub the audio to follow the words; click a word to jump to it.',
    ]),
    element('div', { class: 'token-row', role: 'group', 'aria-label': 'Transcribed words' }, words),
    result.alignment === null ? null : alignmentFigure(result.alignment, playhead),
    warningList(result.warnings),
  ]);
}

function alignmentFigure(
  alignment: NonNullable<TranscribeResult['alignment']>,
  playhead: HTMLElement,
): HTMLElement {
  const rows = alignment.tokens.length;
  const rowHeight = 14;
  const width = Math.min(800, Math.max(200, alignment.frames * 4));
  const canvas = element('canvas', {
    width,
    height: rows * rowHeight,
    role: 'img',
    'aria-label': 'alignment heads’ attention of each token over time',
  });
  const raster = heatmapRaster(Float32Array.from(alignment.data), rows, alignment.frames, {
    width,
    height: rows * rowHeight,
    normalization: 'per-row',
  });
  canvas
    .getContext('2d')!
    .putImageData(
      new ImageData(raster.data as Uint8ClampedArray<ArrayBuffer>, raster.width, raster.height),
      0,
      0,
    );
  const labels = element(
    'ol',
    { class: 'row-labels', 'aria-hidden': 'true' },
    alignment.tokens.map((token) => element('li', {}, [tokenLabel(token).text])),
  );
  return element('figure', { class: 'alignment-map' }, [
    element('div', { class: 'alignment-rows' }, [
      labels,
      element('div', { class: 'timeline' }, [canvas, playhead]),
    ]),
    element('figcaption', {}, [
      `Alignment heads’ attention: one row per token, ${alignment.frames} frames of ${alignment.secondsPerFrame * 1000} ms`,
    ]),
  ]);
}
