import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { showcaseSamples } from '../samples.js';
import { fixtureModels } from '../testing/fixture-models.js';
import { embeddedPngSizes, figureCaptions, tableRows } from '../testing/report-html.js';
import { transcriptionSection } from './transcription.js';

describe('transcriptionSection', () => {
  it('embeds the recording, the timed words over the spectrogram, and the true word times', async () => {
    const speech = showcaseSamples().speech;
    const html = (await transcriptionSection(fixtureModels.transcription, speech)).body.html;
    const audio = /<audio controls src="data:audio\/wav;base64,([A-Za-z0-9+/=]+)"/.exec(html);
    expect(Buffer.from(audio?.[1] ?? '', 'base64').equals(await readFile(speech.path))).toBe(true);
    // renderTranscriptionPng: 1000 px wide, 160 px of spectrogram + a 10 px band + 12 px per token row
    const [picture] = embeddedPngSizes(html);
    expect(picture?.width).toBe(1000);
    expect(((picture?.height ?? 0) - 170) % 12).toBe(0);
    // tiny-whisper hears 2 s at a time, so the 3.8 s recording is pictured from its first window alone
    expect(figureCaptions(html)[0]).toMatch(/^the first [\d.]+ s transcribed on their own/);

    const rows = tableRows(html);
    const transcript = /<strong>transcript <\/strong>(.*?)<\/p>/s.exec(html)?.[1] ?? '';
    expect(rows).toHaveLength(transcript.match(/<span title=/g)?.length ?? 0);
    let previousEnd = 0;
    for (const [, start, end, confidence] of rows) {
      expect(Number(start)).toBeGreaterThanOrEqual(previousEnd);
      expect(Number(end)).toBeGreaterThanOrEqual(Number(start));
      expect(Number(end)).toBeLessThanOrEqual(Number(speech.durationSeconds.toFixed(2)));
      expect(Number(confidence)).toBeLessThanOrEqual(1);
      previousEnd = Number(end);
    }
    const truth = /true word times \(espeak-ng, one word at a time\): (.*?)\.<\/p>/s.exec(
      html,
    )?.[1];
    expect(truth).toBe(
      speech.words
        .map((word) => `${word.word} ${word.start.toFixed(2)}–${word.end.toFixed(2)}`)
        .join(', '),
    );
  });
});
