// Perceptual colormaps as 33 RGB stops (t = 0, 1/32, ..., 1) joined by linear interpolation.
// viridis and magma are sampled from matplotlib's published 256-entry tables (van der Walt & Smith,
// https://bids.github.io/colormap/), coolwarm is Moreland's diverging map (https://www.kennethmoreland.com/color-maps/).
import { describeValue, invalidArgument } from '../errors/index.js';

/** A colour as 0–255 integers. */
export type Rgb = [red: number, green: number, blue: number];

/** A colormap: `t` in [0, 1] (clamped) to a colour; NaN maps to {@link nanColor}. */
export type Colormap = (t: number) => Rgb;

// Stops are the published tables evaluated at t * 255 (linear between entries), rounded to 8 bits.
// Against the full tables the interpolation stays within 2 units (viridis 1.7, magma 1.3).
// prettier-ignore
const colormapStops = {
  viridis: [
    '#440154', '#470d60', '#48186a', '#482374', '#472d7b', '#453681', '#424086', '#3f4989', '#3b528b',
    '#375a8d', '#33638d', '#2f6a8e', '#2c728e', '#297a8e', '#26818e', '#23898e', '#21908c', '#1f988b',
    '#1f9f88', '#21a685', '#28ae80', '#31b57b', '#3ebc74', '#4cc26c', '#5dc963', '#6ece58', '#82d34c',
    '#96d83f', '#abdc32', '#c0df24', '#d5e21a', '#eae51a', '#fde725',
  ],
  magma: [
    '#000004', '#030311', '#0a0822', '#130d33', '#1d1146', '#28115a', '#36106a', '#430f76', '#50127c',
    '#5d177f', '#691c81', '#762181', '#822681', '#8f2a81', '#9c2e7f', '#a9327d', '#b63779', '#c33b75',
    '#cf4170', '#db486a', '#e65163', '#ee5c5e', '#f5695c', '#f9785d', '#fb8761', '#fd9668', '#fea571',
    '#feb47b', '#fec387', '#fed194', '#fde0a2', '#fceeb0', '#fcfdbf',
  ],
  coolwarm: [
    '#3b4cc0', '#445acc', '#4d68d7', '#5775e1', '#6282ea', '#6c8ef1', '#779af7', '#82a5fb', '#8db0fe',
    '#98b9ff', '#a3c2ff', '#aec9fd', '#b8d0f9', '#c2d5f4', '#ccd9ee', '#d5dbe6', '#dddddd', '#e5d8d1',
    '#ecd3c5', '#f1ccb9', '#f5c4ad', '#f7bba0', '#f7b194', '#f7a687', '#f49a7b', '#f18d6f', '#ec7f63',
    '#e57058', '#de604d', '#d55042', '#cb3e38', '#c0282f', '#b40426',
  ],
  gray: ['#000000', '#ffffff'],
} as const;

/** The colormaps on offer: sequential viridis and magma, diverging coolwarm, and gray. */
export type ColormapName = keyof typeof colormapStops;

/** Every {@link ColormapName}. */
export const colormapNames = Object.keys(colormapStops) as ColormapName[];

/** The colour of a NaN value: mid grey. (Rasters draw NaN as a transparent pixel instead.) */
export const nanColor: Readonly<Rgb> = [128, 128, 128];

/**
 * The colormap called `name`, as a function of t in [0, 1]; t outside is clamped, NaN gives {@link nanColor}.
 *
 * @example
 * ```ts
 * colormap('viridis')(0); // [68, 1, 84]    (#440154)
 * colormap('viridis')(0.5); // [33, 144, 140] (#21908c)
 * colormap('magma')(2); // [252, 253, 191]  (clamped to t = 1, #fcfdbf)
 * colormap('gray')(Number.NaN); // [128, 128, 128]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `name` is not one of {@link colormapNames}.
 */
export function colormap(name: ColormapName): Colormap {
  const stops = decodedStops('colormap', name);
  const segments = stops.length / 3 - 1;
  return (t) => {
    if (Number.isNaN(t)) return [...nanColor];
    const position = Math.min(Math.max(t, 0), 1) * segments;
    const low = Math.min(Math.floor(position), segments - 1);
    const fraction = position - low;
    const color: Rgb = [0, 0, 0];
    for (let channel = 0; channel < 3; channel++) {
      const from = stops[low * 3 + channel] as number;
      const to = stops[(low + 1) * 3 + channel] as number;
      color[channel] = Math.round(from + fraction * (to - from));
    }
    return color;
  };
}

const lookupTables = new Map<ColormapName, Uint8ClampedArray>();

/**
 * The colormap as a 256-entry RGB table [256, 3] (entry k is the colour of t = k / 255), for hot loops
 * that index it with `Math.round(t * 255)` instead of calling {@link colormap}. Built once per name.
 *
 * @example
 * ```ts
 * const table = colormapLookupTable('magma');
 * [table[765], table[766], table[767]]; // [252, 253, 191]: the colour of t = 1
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `name` is not one of {@link colormapNames}.
 */
export function colormapLookupTable(name: ColormapName): Uint8ClampedArray {
  let table = lookupTables.get(name);
  if (table === undefined) {
    decodedStops('colormapLookupTable', name);
    const colorOf = colormap(name);
    table = new Uint8ClampedArray(256 * 3);
    for (let k = 0; k < 256; k++) table.set(colorOf(k / 255), k * 3);
    lookupTables.set(name, table);
  }
  return table;
}

/**
 * A colour as a CSS / SVG hex string.
 *
 * @example
 * ```ts
 * rgbToHex([68, 1, 84]); // '#440154'
 * rgbToHex([300, -4, 84.4]); // '#ff0054' (channels rounded and clamped to 0–255)
 * ```
 */
export function rgbToHex(color: Readonly<Rgb>): string {
  const hex = (channel: number): string =>
    (Math.min(Math.max(Math.round(channel), 0), 255) || 0).toString(16).padStart(2, '0');
  return `#${hex(color[0])}${hex(color[1])}${hex(color[2])}`;
}

function decodedStops(fn: string, name: ColormapName): Uint8Array {
  const hexStops: readonly string[] | undefined = Object.hasOwn(colormapStops, name)
    ? colormapStops[name]
    : undefined;
  if (hexStops === undefined) {
    throw invalidArgument(fn, 'name', `one of ${colormapNames.join(', ')}`, describeValue(name));
  }
  const stops = new Uint8Array(hexStops.length * 3);
  hexStops.forEach((hex, index) => {
    for (let channel = 0; channel < 3; channel++) {
      stops[index * 3 + channel] = Number.parseInt(hex.slice(1 + 2 * channel, 3 + 2 * channel), 16);
    }
  });
  return stops;
}
