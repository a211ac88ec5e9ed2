// Inputs for the CLI behaviour tests, written to a fresh folder: a PNG scene, a WAV tone and a text file that is
// neither; with the environment every run gets (HF_HOME inside the folder, HF_ENDPOINT a closed port, so
// nothing can touch the network) and the path of each random-weight fixture model.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot, toneWav } from '@attn/core-attention/testing';

/** The folder and files of one test file's runs. */
export interface CliInputs {
  folder: string;
  env: Record<string, string>;
  /** An 80 x 64 PNG. */
  scene: string;
  /** One second of a gliding tone, 16-bit PCM mono at 16 kHz. */
  wav: string;
  /** A text file that is not an image or a WAV. */
  notes: string;
  remove(): Promise<void>;
}

/** The first eight bytes of every PNG, as hex. */
export const pngSignature = '89504e470d0a1a0a';

/**
 * The folder of a fixture model in packages/core-attention/test-fixtures.
 *
 * @example
 * ```ts
 * fixtureModel('tiny-bert'); // '/…/packages/core-attention/test-fixtures/tiny-bert'
 * ```
 */
export function fixtureModel(name: string): string {
  return join(repositoryRoot(), 'packages/core-attention/test-fixtures', name);
}

/**
 * Writes the inputs to a new temporary folder (the PNG is encoded by @attn/vision, loaded only when asked for).
 *
 * @example
 * ```ts
 * const inputs = await cliInputs();
 * await runAttn(['detect', inputs.scene, '--json'], { env: inputs.env });
 * await inputs.remove();
 * ```
 */
export async function cliInputs(): Promise<CliInputs> {
  const folder = await mkdtemp(join(tmpdir(), 'attn-cli-'));
  const { encodePng } = await import('@attn/vision');
  const width = 80;
  const height = 64;
  const pixels = new Uint8Array(width * height * 3);
  for (let index = 0; index < pixels.length; index++) pixels[index] = (index * 37) % 251;
  const inputs: CliInputs = {
    folder,
    env: { HF_HOME: join(folder, 'hf'), HF_ENDPOINT: 'http://127.0.0.1:9' },
    scene: join(folder, 'scene.png'),
    wav: join(folder, 'tone.wav'),
    notes: join(folder, 'notes.txt'),
    remove: () => rm(folder, { recursive: true, force: true }),
  };
  await writeFile(inputs.scene, await encodePng({ width, height, data: pixels }));
  await writeFile(inputs.wav, toneWav(1));
  await writeFile(inputs.notes, 'not an image, not a WAV\n');
  return inputs;
}

/**
 * Width and height from a PNG's IHDR chunk (big-endian at bytes 16 and 20).
 *
 * @example
 * ```ts
 * pngSize(await readFile('scene.png')); // { width: 80, height: 64 }
 * ```
 */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
