// The studio page driven in Debian's Chromium through playwright-core (never a downloaded browser): the UI is
// built with Vite into a temporary folder and served by a studio on the fixture models.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../server/start-studio-server.js';
import { toneWav } from '@attn/core-attention/testing';
import { scenePng, startFixtureStudio } from '../testing/studio-inputs.js';

const appRoot = fileURLToPath(new URL('../..', import.meta.url));
const pngSignature = '89504e470d0a1a0a';

let folder: string;
let studio: StudioServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'attn-studio-page-'));
  const uiRoot = join(folder, 'ui');
  await build({
    configFile: join(appRoot, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: uiRoot, emptyOutDir: true },
  });
  studio = await startFixtureStudio({ uiRoot });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(studio.url);
  await page.waitForSelector('body[data-ready="true"]');
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  await rm(folder, { recursive: true, force: true });
});

/** The weights the source tokens are shaded with now. */
async function sourceWeights(): Promise<number[]> {
  const values = await page
    .locator('.token.key')
    .evaluateAll((spans) => spans.map((span) => span.getAttribute('data-weight')));
  return values.map(Number);
}

describe('the studio page', () => {
  it('translates a sentence and shades the source words the hovered target word attended to', async () => {
    await page.selectOption('#task', 'translate');
    expect(await page.inputValue('#model')).toBe('attn/mt-en-de');
    await page.fill('#text', 'A little girl is running on the beach.');
    await page.click('#run');
    await page.waitForSelector('.explorer');
    expect(await page.textContent('#status')).toMatch(
      /^translate on attn\/mt-en-de: done in \d+ ms/,
    );
    expect((await page.textContent('.prediction'))!.length).toBeGreaterThan(0);

    const targets = page.locator('.token.query');
    expect(await targets.count()).toBeGreaterThan(2);
    await targets.nth(0).hover();
    const first = await sourceWeights();
    await targets.nth(1).hover();
    const second = await sourceWeights();
    expect(await targets.nth(1).getAttribute('aria-pressed')).toBe('true');
    expect(second).not.toEqual(first);
    // each row is a distribution over the source tokens (4 decimals on the wire)
    for (const weights of [first, second])
      expect(Math.abs(weights.reduce((sum, weight) => sum + weight, 0) - 1)).toBeLessThan(
        1e-3 * weights.length,
      );

    // one layer and one head instead of the means: another distribution for the same token
    await page.selectOption('select[name="layer"]', '0');
    await page.selectOption('select[name="head"]', '0');
    const single = await sourceWeights();
    expect(single).not.toEqual(second);
    expect(await page.locator('figure.matrix svg').getAttribute('aria-label')).toMatch(
      /layer 0, head 0/,
    );

    // the keyboard reaches the same view
    await targets.nth(2).focus();
    expect(await targets.nth(2).getAttribute('aria-pressed')).toBe('true');
    expect(await sourceWeights()).not.toEqual(single);

    // words first: the source row spells the sentence's words (special tokens stand apart)
    const keyTexts = async (): Promise<string[]> =>
      page.locator('.token.key').evaluateAll((spans) => spans.map((span) => span.textContent!));
    const words = (await keyTexts()).filter((text) => !/^<.*>$/.test(text));
    expect(words).toEqual('A little girl is running on the beach.'.split(' '));
    // subword tokens: at least as many, and a hovered token's row is still a distribution
    await page.selectOption('select[name="granularity"]', 'tokens');
    expect((await keyTexts()).length).toBeGreaterThanOrEqual(words.length + 1);
    await targets.nth(1).hover();
    const tokenRow = await sourceWeights();
    expect(tokenRow).toHaveLength((await keyTexts()).length);
    expect(Math.abs(tokenRow.reduce((sum, weight) => sum + weight, 0) - 1)).toBeLessThan(
      1e-3 * tokenRow.length,
    );
  });

  it('says what is missing before sending anything', async () => {
    await page.fill('#text', '');
    await page.click('#run');
    expect(await page.textContent('#error')).toBe('Type a text to translate.');
  });

  it('detects objects in an uploaded image and overlays the hovered one’s attention', async () => {
    await page.selectOption('#task', 'detect');
    await page.setInputFiles('#file', {
      name: 'scene.png',
      mimeType: 'image/png',
      buffer: await scenePng(),
    });
    await page.fill('#threshold', '0');
    await page.click('#run');
    await page.waitForSelector('button.object');
    const painted = (): Promise<number> =>
      page.evaluate(`(() => {
        const canvas = document.querySelector('.stage canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let opaque = 0;
        for (let index = 3; index < pixels.length; index += 4) if (pixels[index] > 0) opaque++;
        return opaque;
      })()`);
    const boxesOnly = await painted();
    await page.locator('button.object').first().hover();
    expect(await page.locator('button.object').first().getAttribute('aria-pressed')).toBe('true');
    expect(await painted()).toBeGreaterThan(boxesOnly); // the heatmap covers far more than the box outlines
  });

  it('shows the server’s message for an upload of the wrong kind', async () => {
    await page.setInputFiles('#file', {
      name: 'notes.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not an image at all'),
    });
    await page.click('#run');
    await expect
      .poll(() => page.textContent('#error'))
      .toMatch(/the uploaded file is not an image .* \(400 INPUT_FORMAT\)$/);
  });

  it('toggles rollout on a segmentation', async () => {
    await page.selectOption('#task', 'segment');
    await page.setInputFiles('#file', {
      name: 'scene.png',
      mimeType: 'image/png',
      buffer: await scenePng(),
    });
    await page.click('#run');
    await page.waitForSelector('select[name="map"]');
    expect(await page.locator('select[name="map"] option').first().textContent()).toBe(
      'mean of the heads',
    );
    await page.check('input[name="rollout"]');
    await expect
      .poll(() => page.locator('select[name="map"] option').first().textContent())
      .toBe('rollout (all layers)');
    expect(await page.locator('select[name="map"] option').count()).toBe(5); // combined + 4 heads
  });

  it('transcribes an uploaded WAV, seeks to a clicked word and takes a screenshot', async () => {
    await page.selectOption('#task', 'transcribe');
    await page.setInputFiles('#file', {
      name: 'tone.wav',
      mimeType: 'audio/wav',
      buffer: toneWav(1),
    });
    await page.click('#run');
    await page.waitForSelector('.result audio');
    const words = page.locator('button[data-start]');
    expect(await words.count()).toBeGreaterThan(0);
    const last = words.last();
    const start = Number(await last.getAttribute('data-start'));
    await last.click();
    expect(await page.evaluate(`document.querySelector('.result audio').currentTime`)).toBeCloseTo(
      start,
      2,
    );
    expect(await last.getAttribute('aria-current')).toBe('true');
    expect(await page.locator('.alignment-map canvas').count()).toBe(1);

    const shot = join(folder, 'studio.png');
    await page.screenshot({ path: shot, fullPage: true });
    const bytes = await readFile(shot);
    expect(bytes.subarray(0, 8).toString('hex')).toBe(pngSignature);
    expect(bytes.readUInt32BE(16)).toBe(1200); // IHDR width: the viewport's
    await writeFile(join(folder, 'done'), '');
  });
});
