// Locates the 'fmt ' and 'data' chunks of a RIFF / RIFX WAVE file in one linear pass over the top-level
// chunk headers (Microsoft RIFF spec: 4-byte id, 4-byte size, data padded to an even length).
// wavefile's own walk re-parses every LIST chunk to the end of the file, which takes seconds on a small
// crafted file, so it is given only the chunks it needs.

/** Where a chunk's data starts, its declared size, and how many of those bytes the file holds. */
export interface ChunkLocation {
  start: number;
  declaredSize: number;
  presentSize: number;
}

/**
 * The first 'fmt ' and 'data' chunks, or undefined where the file has none.
 *
 * @example
 * ```ts
 * findWaveChunks(wavBytes, true).data; // { start: 44, declaredSize: 32000, presentSize: 32000 }
 * ```
 */
export function findWaveChunks(
  bytes: Uint8Array,
  littleEndian: boolean,
): { format?: ChunkLocation; data?: ChunkLocation } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: { format?: ChunkLocation; data?: ChunkLocation } = {};
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const declaredSize = view.getUint32(at + 4, littleEndian);
    const start = at + 8;
    const location = {
      start,
      declaredSize,
      presentSize: Math.min(declaredSize, bytes.length - start),
    };
    if (id === 'fmt ' && found.format === undefined) found.format = location;
    if (id === 'data' && found.data === undefined) found.data = location;
    if (found.format !== undefined && found.data !== undefined) break;
    at = start + declaredSize + (declaredSize % 2);
  }
  return found;
}
