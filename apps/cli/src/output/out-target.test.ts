import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outPaths, outTarget, renderToFiles } from './out-target.js';
import { writeFileAtomic } from './write-file-atomic.js';

const folder = await mkdtemp(join(tmpdir(), 'attn-cli-out-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('--out', () => {
  it('reads the format off the extension, any case, and refuses ones the command does not render', () => {
    expect(outTarget('detect', {}, ['png'])).toBeUndefined();
    expect(outTarget('detect', { out: 'a/scene.PNG' }, ['png', 'html'])).toEqual({
      path: 'a/scene.PNG',
      format: 'png',
    });
    expect(outTarget('ask', { out: 'page.htm' }, ['svg', 'html'])).toEqual({
      path: 'page.htm',
      format: 'html',
    });
    for (const path of ['scene.svg', 'scene.txt', 'scene']) {
      expect(() => outTarget('detect', { out: path }, ['png', 'html'])).toThrow(
        `attn detect: --out '${path}' has an extension detect does not render. Fix: end the file name in .png or .html.`,
      );
    }
  });

  it('numbers the files of several results from 1 and keeps one result’s path as given', () => {
    expect(outPaths('out/scene.png', 1)).toEqual(['out/scene.png']);
    expect(outPaths('out/scene.png', 3)).toEqual([
      'out/scene-1.png',
      'out/scene-2.png',
      'out/scene-3.png',
    ]);
    expect(outPaths('out.d/matrix', 2)).toEqual(['out.d/matrix-1', 'out.d/matrix-2']);
  });

  it('creates the folder, renders each file atomically and leaves no temporary file', async () => {
    const target = { path: join(folder, 'new', 'deeper', 'page.svg'), format: 'svg' as const };
    const written = await renderToFiles(target, 2, (path, index, format) =>
      writeFileAtomic(path, `<svg>${index} ${format}</svg>`),
    );
    expect(written).toEqual([
      join(folder, 'new/deeper/page-1.svg'),
      join(folder, 'new/deeper/page-2.svg'),
    ]);
    expect(await readFile(written[1] as string, 'utf8')).toBe('<svg>1 svg</svg>');
    expect((await readdir(join(folder, 'new/deeper'))).sort()).toEqual([
      'page-1.svg',
      'page-2.svg',
    ]);
    expect(
      await renderToFiles(undefined, 2, () => Promise.reject(new Error('never called'))),
    ).toEqual([]);
  });

  it('reports a file it cannot write by path, leaving what was there', async () => {
    const blocked = join(folder, 'file-not-folder');
    await writeFileAtomic(blocked, 'kept');
    await expect(writeFileAtomic(join(blocked, 'x.svg'), '<svg/>')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(`cannot write --out file '${join(blocked, 'x.svg')}'`),
    });
    expect(await readFile(blocked, 'utf8')).toBe('kept');
  });
});
