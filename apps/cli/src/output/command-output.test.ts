import { describe, expect, it } from 'vitest';
import { inputWarnings } from './command-output.js';

describe('inputWarnings', () => {
  it('says which input a warning is about when there are several, in input order', () => {
    expect(
      inputWarnings(
        ['text 1', 'text 2', 'text 3'],
        [['cut at 12'], [], ['cut at 40', 'resampled']],
      ),
    ).toEqual(['text 1: cut at 12', 'text 3: cut at 40', 'text 3: resampled']);
  });

  it('leaves a single input’s warnings as they are', () => {
    expect(
      inputWarnings(['scene.png'], [['the image was rotated by its EXIF orientation']]),
    ).toEqual(['the image was rotated by its EXIF orientation']);
  });
});
