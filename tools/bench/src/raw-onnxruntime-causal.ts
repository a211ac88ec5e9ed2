// The floor for the chat benchmark: a bare greedy loop on onnxruntime-node over a decoder-only folder
// (onnx/model.onnx with past_key_values inputs, gpt2 style) — ids in, ids out, no tokenizer, no taps, no analysis,
// no validation; banned ids (end-of-sequence, for a fixed length) are never chosen. Its session gets attn's session
// options unless told otherwise.
import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { sessionOptions } from '@attn/core-attention/runtime';
import { argmaxRow, emptyPast, nextPast } from './raw-onnxruntime-loop.js';

/**
 * Loads the session once; `run(promptIds, newTokens, banned)` greedily appends exactly `newTokens` ids to one
 * prompt, never one of `banned`.
 */
export async function rawGreedyContinuer(
  folder: string,
  sessionOverrides: ort.InferenceSession.SessionOptions = {},
) {
  const session = await ort.InferenceSession.create(
    join(folder, 'onnx/model.onnx'),
    sessionOptions(sessionOverrides),
  );
  const ids = (values: number[]): ort.Tensor =>
    new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);

  return async function run(
    promptIds: number[],
    newTokens: number,
    banned: readonly number[] = [],
  ): Promise<number[]> {
    let past = emptyPast(session, 1);
    const output: number[] = [];
    let fed = promptIds;
    let total = 0;
    for (let step = 0; step < newTokens; step++) {
      const result = await session.run({
        input_ids: ids(fed),
        attention_mask: ids(new Array<number>(total + fed.length).fill(1)),
        position_ids: ids(fed.map((_, i) => total + i)),
        ...past,
      });
      total += fed.length;
      const logits = (result['logits'] as ort.Tensor).data as Float32Array;
      const vocab = (result['logits'] as ort.Tensor).dims.at(-1) as number;
      const best = argmaxRow(logits, logits.length - vocab, vocab, banned);
      output.push(best);
      fed = [best];
      past = nextPast(past, result);
    }
    return output;
  };
}
