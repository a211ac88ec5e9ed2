import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readNpy, readNpz, sharedDataPath } from './index.js';

/** A version-1 .npy file: magic, header length, the header dict padded to 64 bytes, then the raw values. */
function npyBytes(header: string, values: Uint8Array): Uint8Array {
  const padded = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1) + '\n';
  const bytes = new Uint8Array(10 + padded.length + values.length);
  bytes.set([0x93, ...Buffer.from('NUMPY'), 1, 0, padded.length & 0xff, padded.length >> 8]);
  bytes.set(Buffer.from(padded, 'latin1'), 10);
  bytes.set(values, 10 + padded.length);
  return bytes;
}

/** A zip with the given entries (method 0 stored or 8 deflate), CRCs left 0 since the reader ignores them. */
function zipBytes(entries: { name: string; content: Uint8Array; method: 0 | 8 }[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, content, method } of entries) {
    const stored = method === 8 ? deflateRawSync(content) : Buffer.from(content);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, stored);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('readNpz', () => {
  it("reads Whisper's deflated, zip64-flagged mel_filters.npz as numpy does", () => {
    const filters = readNpz(sharedDataPath('hf-reference/whisper-assets/mel_filters.npz'));
    expect(Object.keys(filters).sort()).toEqual(['mel_128', 'mel_80']);
    const mel80 = filters['mel_80'];
    expect(mel80?.dtype).toBe('f4');
    expect(mel80?.shape).toEqual([80, 201]);
    expect(filters['mel_128']?.shape).toEqual([128, 201]);
    // values printed by numpy 2.4: np.load(...)['mel_80'][0, 1] and [79, 195], ['mel_128'][127, 195]
    expect(mel80?.data[1]).toBe(Math.fround(0.02486259490251541));
    expect(mel80?.data[79 * 201 + 195]).toBe(Math.fround(0.0022437951993197203));
    expect(filters['mel_128']?.data[127 * 201 + 195]).toBe(Math.fround(0.005041601601988077));
  });

  it('reads stored and deflated entries, big-endian float32 and Fortran-order float64', () => {
    // Fortran order stores [[1,2,3],[4,5,6]] column by column: 1 4 2 5 3 6.
    const fortran = new Float64Array([1, 4, 2, 5, 3, 6]);
    const bigEndian = Buffer.alloc(8);
    bigEndian.writeFloatBE(0.5, 0);
    bigEndian.writeFloatBE(-2, 4);
    const archive = zipBytes([
      {
        name: 'matrix.npy',
        method: 0,
        content: npyBytes(
          "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
          new Uint8Array(fortran.buffer),
        ),
      },
      {
        name: 'vector.npy',
        method: 8,
        content: npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", bigEndian),
      },
    ]);
    const arrays = readNpz(archive);
    expect(arrays['matrix']).toEqual({
      dtype: 'f8',
      shape: [2, 3],
      data: new Float64Array([1, 2, 3, 4, 5, 6]),
    });
    expect(arrays['vector']).toEqual({
      dtype: 'f4',
      shape: [2],
      data: new Float32Array([0.5, -2]),
    });
  });

  it('says what is wrong with bytes that are not an npz of float arrays', () => {
    expect(() => readNpz(new Uint8Array(40))).toThrow('not a zip archive');
    const integers = npyBytes(
      "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }",
      new Uint8Array(4),
    );
    expect(() => readNpy(integers)).toThrow('dtype <i4 is not read');
    expect(() => readNpy(new Uint8Array(16))).toThrow('not a .npy file');
  });
});
