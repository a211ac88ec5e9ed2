import { describe, expect, it } from 'vitest';
import { isCommitHash, validateFilePath, validateRepoId, validateRevision } from './repo-id.js';

const refused = (check: () => void): string => {
  try {
    check();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'accepted';
};

describe('repository ids, revisions and paths', () => {
  it('accepts hub ids with and without an organisation', () => {
    for (const id of [
      'gpt2',
      'Xenova/bert-base-uncased',
      'Helsinki-NLP/opus-mt-en-de',
      'a/b',
      'org_1/model.v2',
    ]) {
      expect(
        refused(() => validateRepoId('hubFile', id)),
        id,
      ).toBe('accepted');
    }
  });

  it('refuses ids that are not hub ids or could leave the cache', () => {
    const bad = [
      '',
      '/',
      'org/',
      '/name',
      'a/b/c',
      '..',
      '../x',
      'org/..',
      'org/.x',
      'org/x.',
      'a--b/c',
      'a..b',
      'org\\name',
      'org/na me',
      'x'.repeat(97),
    ];
    for (const id of bad)
      expect(
        refused(() => validateRepoId('hubFile', id)),
        id,
      ).toBe('INVALID_ARGUMENT');
    expect(() => validateRepoId('hubFile', '../x')).toThrow(
      "hubFile(): repoId must be a hub id 'org/name' or 'name'",
    );
  });

  it('accepts branches, tags, pull-request refs and commit shas as revisions, and refuses traversal', () => {
    for (const revision of [
      'main',
      'v1.0',
      'refs/pr/1',
      'release-2024_01',
      '0123456789abcdef0123456789abcdef01234567',
    ]) {
      expect(
        refused(() => validateRevision('hubFile', revision)),
        revision,
      ).toBe('accepted');
    }
    for (const revision of [
      '',
      '..',
      '../main',
      'main/../../x',
      '/main',
      'main/',
      'a//b',
      'a\\b',
      'ma in',
      'x'.repeat(257),
    ]) {
      expect(
        refused(() => validateRevision('hubFile', revision)),
        revision,
      ).toBe('INVALID_ARGUMENT');
    }
  });

  it('accepts nested relative file paths and refuses absolute, traversing or odd ones', () => {
    for (const path of [
      'config.json',
      'onnx/model_quantized.onnx',
      'a b/c.txt',
      '.gitattributes',
    ]) {
      expect(
        refused(() => validateFilePath('hubFile', path)),
        path,
      ).toBe('accepted');
    }
    for (const path of [
      '',
      '/etc/passwd',
      '../x',
      'onnx/../../x',
      'onnx/./x',
      'a//b',
      'a/',
      'a\\b',
      'C:/x',
      'a\u0000b',
      'x'.repeat(1025),
    ]) {
      expect(
        refused(() => validateFilePath('hubFile', path)),
        JSON.stringify(path),
      ).toBe('INVALID_ARGUMENT');
    }
  });

  it('recognises full commit shas only', () => {
    expect(isCommitHash('0123456789abcdef0123456789abcdef01234567')).toBe(true);
    expect(isCommitHash('0123456789ABCDEF0123456789abcdef01234567')).toBe(false);
    expect(isCommitHash('0123456')).toBe(false);
    expect(isCommitHash('main')).toBe(false);
  });
});
