// Down-mixing to mono by averaging the channels, as Whisper's loaders (ffmpeg -ac 1) do.
import { describeValue, invalidArgument } from '@attn/core-attention';

/**
 * The mean of the channels, sample by sample; a single channel comes back as a copy.
 *
 * @example
 * ```ts
 * downmix([new Float32Array([1, 0.5]), new Float32Array([0, -0.5])]); // Float32Array [0.5, 0]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `channels` is empty, holds something other than Float32Arrays,
 * or its arrays differ in length.
 */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  const fn = 'downmix';
  const first = Array.isArray(channels) ? channels[0] : undefined;
  if (first === undefined)
    throw invalidArgument(
      fn,
      'channels',
      'a non-empty array of Float32Array',
      describeValue(channels),
    );
  const mono = new Float32Array(first.length);
  for (const [index, channel] of channels.entries()) {
    if (!(channel instanceof Float32Array) || channel.length !== first.length)
      throw invalidArgument(
        fn,
        `channels[${index}]`,
        `a Float32Array of length ${first.length} like channels[0]`,
        describeValue(channel),
      );
    for (let t = 0; t < mono.length; t++) mono[t] = (mono[t] as number) + (channel[t] as number);
  }
  const scale = 1 / channels.length;
  for (let t = 0; t < mono.length; t++) mono[t] = (mono[t] as number) * scale;
  return mono;
}
