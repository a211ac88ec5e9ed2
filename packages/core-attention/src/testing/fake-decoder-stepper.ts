// A deterministic "tiny language model" behind the DecoderStepper interface, for testing decoding
// algorithms: logits are a function of (source, prefix), and each row keeps the prefix it has seen
// as its KV-cache stand-in, so a wrong `beamRows` reorder changes the logits and is recorded.
import type { DecoderStepper } from '../runtime/generation/index.js';
import { randomNormal, seededRandom } from './random.js';

export interface FakeStepperOptions {
  vocabSize: number;
  /** The "encoder input" of each input row; row r of the first call starts from source r. Default [0]. */
  sources?: readonly number[];
  /** Next-token logits after `prefix` (prompt plus tokens) for `source`. Default: seeded hash logits. */
  logits?: (prefix: readonly number[], source: number) => ArrayLike<number>;
  /** Seed of the default hash logits. Default 1. */
  seed?: number;
  /** Standard deviation of the default hash logits. Default 2. */
  scale?: number;
}

export interface FakeDecoderStepper extends DecoderStepper {
  /** prefixes[step][row]: what each row had seen after that call (its cache contents). */
  readonly prefixes: number[][][];
  /** beamRows as each call received it. */
  readonly beamRowsSeen: (number[] | undefined)[];
  /** The logits this model gives after `prefix` for `source`, as float32. */
  logitsOf(prefix: readonly number[], source: number): Float32Array;
}

/**
 * Builds the fake stepper. Throws a plain Error when a call is inconsistent: `beamRows` pointing
 * outside the current rows, or a row count that differs from the rows its state holds.
 *
 * @example
 * ```ts
 * const stepper = fakeDecoderStepper({ vocabSize: 4, sources: [0, 1] });
 * await stepper.step([[0], [0]]); // logits for source 0 and source 1 after prefix [0]
 * await stepper.step([[2], [3]], [1, 1]); // both rows continue row 1: prefixes [0, 2] and [0, 3], source 1
 * stepper.prefixes[1]; // [[0, 2], [0, 3]]
 * ```
 */
export function fakeDecoderStepper(options: FakeStepperOptions): FakeDecoderStepper {
  const { vocabSize, sources = [0], seed = 1, scale = 2 } = options;
  const logitsOf = (prefix: readonly number[], source: number): Float32Array =>
    Float32Array.from(
      options.logits?.(prefix, source) ?? hashLogits(prefix, source, vocabSize, seed, scale),
    );
  let rows = sources.map((source) => ({ source, prefix: [] as number[] }));
  const prefixes: number[][][] = [];
  const beamRowsSeen: (number[] | undefined)[] = [];
  return {
    vocabSize,
    prefixes,
    beamRowsSeen,
    logitsOf,
    async step(inputIds, beamRows) {
      beamRowsSeen.push(beamRows === undefined ? undefined : [...beamRows]);
      if (beamRows !== undefined) {
        rows = beamRows.map((parent) => {
          const row = rows[parent];
          if (row === undefined)
            throw new Error(`fake stepper: beamRows names row ${parent} of ${rows.length}`);
          return { source: row.source, prefix: [...row.prefix] };
        });
      }
      if (inputIds.length !== rows.length) {
        throw new Error(
          `fake stepper: ${inputIds.length} input rows for ${rows.length} cache rows`,
        );
      }
      const logits = new Float32Array(rows.length * vocabSize);
      rows.forEach((row, index) => {
        row.prefix.push(...(inputIds[index] as number[]));
        logits.set(logitsOf(row.prefix, row.source), index * vocabSize);
      });
      prefixes.push(rows.map((row) => [...row.prefix]));
      return { logits };
    },
  };
}

function hashLogits(
  prefix: readonly number[],
  source: number,
  vocabSize: number,
  seed: number,
  scale: number,
): Float32Array {
  let hash = (0x811c9dc5 ^ seed) >>> 0; // FNV-1a over the source and the prefix
  for (const value of [source, ...prefix]) hash = Math.imul(hash ^ (value + 1), 0x01000193) >>> 0;
  return randomNormal(seededRandom(hash), vocabSize, scale);
}
