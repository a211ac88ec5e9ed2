// Median filter along the last axis, as Whisper smooths its alignment-head attention over time frames
// (openai/whisper timing.py median_filter). Edges are padded by reflection without repeating the edge sample
// (PyTorch F.pad mode 'reflect' = numpy 'reflect' = scipy.ndimage 'mirror'): [a b c d] pads to [c b | a b c d | c b].
import { describeValue, invalidArgument } from '../errors/index.js';
import { createTensor, type Tensor } from '../tensor/index.js';
import { expectFloatTensor } from './float-tensor.js';

/**
 * Each value replaced by the median of the `width` values centred on it along the last axis.
 * As in Whisper, when the last axis is not longer than width / 2 (rounded down) the input is returned
 * unchanged (as a copy), since reflection would run past the far edge.
 *
 * @example
 * ```ts
 * // width 3, padded [2 | 1 2 9 3 | 9]: medians of (2,1,2) (1,2,9) (2,9,3) (9,3,9)
 * medianFilter(createTensor('float32', [4], new Float32Array([1, 2, 9, 3])), 3).data; // Float32Array [2, 2, 3, 9]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `input` is not a float tensor of rank ≥ 1 or `width` is not a positive odd integer.
 */
export function medianFilter<T extends 'float32' | 'float64'>(
  input: Tensor<T>,
  width: number,
): Tensor<T> {
  const fn = 'medianFilter';
  expectFloatTensor(fn, 'input', input as Tensor<'float32'> | Tensor<'float64'>);
  if (input.dims.length === 0)
    throw invalidArgument(fn, 'input', 'a tensor of rank ≥ 1', 'a scalar');
  if (!(Number.isInteger(width) && width > 0 && width % 2 === 1))
    throw invalidArgument(fn, 'width', 'a positive odd integer', describeValue(width));
  const source = input.data as Float32Array | Float64Array;
  const output = createTensor(input.type, input.dims);
  const result = output.data as Float32Array | Float64Array;
  const length = input.dims[input.dims.length - 1] as number;
  const half = (width - 1) / 2;
  if (length <= half) {
    result.set(source);
    return output;
  }
  const window = new Float64Array(width);
  for (let row = 0; row < source.length; row += length) {
    for (let f = 0; f < length; f++) {
      for (let w = 0; w < width; w++) {
        let k = f + w - half;
        if (k < 0)
          k = -k; // reflect at the start: −1 -> 1
        else if (k >= length) k = 2 * (length - 1) - k; // reflect at the end: length -> length − 2
        // insertion sort as the window fills: width is small (Whisper uses 7)
        const value = source[row + k] as number;
        let slot = w;
        while (slot > 0 && (window[slot - 1] as number) > value) {
          window[slot] = window[slot - 1] as number;
          slot--;
        }
        window[slot] = value;
      }
      result[row + f] = window[half] as number;
    }
  }
  return output;
}
