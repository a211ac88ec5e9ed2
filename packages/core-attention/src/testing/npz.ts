// Reader for numpy's .npz (a zip of .npy arrays, stored or deflated, zip64 fields honoured) and .npy files,
// for parity tests against reference arrays. Formats: numpy NEP 1 (.npy v1-3) and PKWARE APPNOTE (zip).
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/** One array read from a .npy file, in C (row-major) order. */
export interface NpyArray {
  /** numpy's type string without byte order: 'f4' or 'f8'. */
  dtype: 'f4' | 'f8';
  shape: number[];
  data: Float32Array | Float64Array;
}

/**
 * Reads every array of a .npz archive, keyed by name without the `.npy` suffix.
 *
 * @example
 * ```ts
 * const filters = readNpz(sharedDataPath('hf-reference/whisper-assets/mel_filters.npz'));
 * filters['mel_80']?.shape; // [80, 201]
 * filters['mel_80']?.dtype; // 'f4'
 * ```
 * @throws {Error} when the bytes are not a zip archive, an entry uses a compression other than
 * stored or deflate, or an entry is not a float .npy array.
 */
export function readNpz(source: string | Uint8Array): Record<string, NpyArray> {
  const bytes = typeof source === 'string' ? readFileSync(source) : source;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfCentralDirectory(view);
  const entryCount = view.getUint16(end + 10, true);
  let entry = view.getUint32(end + 16, true);
  const arrays: Record<string, NpyArray> = {};
  for (let index = 0; index < entryCount; index++) {
    if (view.getUint32(entry, true) !== 0x02014b50)
      throw new Error(`readNpz(): central directory entry ${index} has a bad signature`);
    const method = view.getUint16(entry + 10, true);
    const nameLength = view.getUint16(entry + 28, true);
    const extraLength = view.getUint16(entry + 30, true);
    const commentLength = view.getUint16(entry + 32, true);
    const name = new TextDecoder().decode(bytes.subarray(entry + 46, entry + 46 + nameLength));
    const sizes = zip64Sizes(view, entry + 46 + nameLength, extraLength, {
      compressed: view.getUint32(entry + 20, true),
      uncompressed: view.getUint32(entry + 24, true),
      offset: view.getUint32(entry + 42, true),
    });
    const local = sizes.offset;
    const dataStart =
      local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const stored = bytes.subarray(dataStart, dataStart + sizes.compressed);
    if (method !== 0 && method !== 8)
      throw new Error(
        `readNpz(): ${name} uses zip method ${method}; only stored (0) and deflate (8) are read`,
      );
    const content = method === 8 ? inflateRawSync(stored) : stored;
    arrays[name.replace(/\.npy$/, '')] = readNpy(content);
    entry += 46 + nameLength + extraLength + commentLength;
  }
  return arrays;
}

/**
 * Parses one .npy file: the `{'descr', 'fortran_order', 'shape'}` header, then the data, returned in C order.
 *
 * @example
 * ```ts
 * readNpy(readFileSync('weights.npy')).shape; // e.g. [80, 201]
 * ```
 * @throws {Error} when the magic, header or dtype is not a little- or big-endian float32 / float64 array.
 */
export function readNpy(bytes: Uint8Array): NpyArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(1, 6));
  if (bytes[0] !== 0x93 || magic !== 'NUMPY')
    throw new Error('readNpy(): not a .npy file (bad magic)');
  const major = bytes[6] as number;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (descr === null || fortran === null || shapeText === null)
    throw new Error(`readNpy(): unreadable header ${header.trim()}`);
  const dtype = descr[2];
  if (dtype !== 'f4' && dtype !== 'f8')
    throw new Error(`readNpy(): dtype ${descr[1]}${dtype} is not read; only f4 and f8 arrays are`);
  const shape = (shapeText[1] as string)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
  const count = shape.reduce((product, size) => product * size, 1);
  const littleEndian = descr[1] !== '>';
  const width = dtype === 'f4' ? 4 : 8;
  const dataStart = headerStart + headerLength;
  if (dataStart + count * width > bytes.byteLength)
    throw new Error(`readNpy(): header promises ${count} values but the data is shorter`);
  const stored = dtype === 'f4' ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = dataStart + i * width;
    stored[i] = width === 4 ? view.getFloat32(at, littleEndian) : view.getFloat64(at, littleEndian);
  }
  const data = fortran[1] === 'True' ? fortranToC(stored, shape) : stored;
  return { dtype, shape, data };
}

function findEndOfCentralDirectory(view: DataView): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the file.
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 65535); at--) {
    if (view.getUint32(at, true) === 0x06054b50) return at;
  }
  throw new Error('readNpz(): not a zip archive (no end-of-central-directory record)');
}

interface EntrySizes {
  compressed: number;
  uncompressed: number;
  offset: number;
}

/** Replaces 0xFFFFFFFF fields by their zip64 extra-field values (header id 1), in APPNOTE order. */
function zip64Sizes(
  view: DataView,
  extraStart: number,
  extraLength: number,
  sizes: EntrySizes,
): EntrySizes {
  const result = { ...sizes };
  for (let at = extraStart; at + 4 <= extraStart + extraLength;) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 1) {
      let field = at + 4;
      for (const key of ['uncompressed', 'compressed', 'offset'] as const) {
        if (result[key] !== 0xffffffff) continue;
        result[key] = Number(view.getBigUint64(field, true));
        field += 8;
      }
    }
    at += 4 + size;
  }
  return result;
}

function fortranToC<T extends Float32Array | Float64Array>(stored: T, shape: number[]): T {
  const result = new (stored.constructor as new (length: number) => T)(stored.length);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  for (let c = 0; c < stored.length; c++) {
    // c walks C order (last index fastest); the Fortran offset weights the first index by 1.
    let fortranOffset = 0;
    for (let axis = rank - 1; axis >= 0; axis--)
      fortranOffset = fortranOffset * (shape[axis] as number) + (index[axis] as number);
    result[c] = stored[fortranOffset] as number;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (shape[axis] as number)) break;
      index[axis] = 0;
    }
  }
  return result;
}
