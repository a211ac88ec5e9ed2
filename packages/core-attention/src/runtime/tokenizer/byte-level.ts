// GPT-2's byte-level alphabet: each of the 256 byte values is shown as one printable character
// (printable Latin-1 bytes as themselves, the rest as U+0100 onwards), as in GPT-2's encoder.py.

let unicodeToByte: Map<string, number> | undefined;

/** The character → byte table of the byte-level alphabet, built once. */
function table(): Map<string, number> {
  if (unicodeToByte !== undefined) return unicodeToByte;
  const printable = (byte: number): boolean =>
    (byte >= 0x21 && byte <= 0x7e) ||
    (byte >= 0xa1 && byte <= 0xac) ||
    (byte >= 0xae && byte <= 0xff);
  unicodeToByte = new Map();
  let next = 256;
  for (let byte = 0; byte < 256; byte++) {
    unicodeToByte.set(String.fromCodePoint(printable(byte) ? byte : next++), byte);
  }
  return unicodeToByte;
}

/**
 * The bytes a byte-level BPE token stands for, or undefined when a character is outside the alphabet
 * (added tokens such as `<|endoftext|>` are not byte-level).
 *
 * @example
 * ```ts
 * byteLevelTokenBytes('Ġworld'); // Uint8Array [32, 119, 111, 114, 108, 100] (" world")
 * ```
 */
export function byteLevelTokenBytes(token: string): Uint8Array | undefined {
  const map = table();
  const bytes = new Uint8Array(token.length);
  let length = 0;
  for (const character of token) {
    const byte = map.get(character);
    if (byte === undefined) return undefined;
    bytes[length++] = byte;
  }
  return bytes.subarray(0, length);
}
