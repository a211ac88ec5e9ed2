// The floor for the chat benchmark: a bare greedy loop on onnxruntime-node over a decoder-only folder
// (onnx/model.onnx with past_key_values inputs, gpt2 style) — ids in, ids out, no tokenizer, no taps, no analysis,
// no validation; banned ids (end-of-sequence, for a fixed length) are never chosen. Its session gets attn's session
// options unless told otherwise.
import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { sessionOptions } from '@attn/core-attention/runtime';

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
  const pastNames = session.inputNames.filter((name) => name.startsWith('past_key_values.'));
  const pastShape = (name: string): readonly (number | string)[] => {
    const metadata = session.inputMetadata.find((input) => input.name === name);
    return metadata?.isTensor ? metadata.shape : [];
  };
  const ids = (values: number[]): ort.Tensor =>
    new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);

  return async function run(
    promptIds: number[],
    newTokens: number,
    banned: readonly number[] = [],
  ): Promise<number[]> {
    const past: Record<string, ort.Tensor> = {};
    for (const name of pastNames) {
      const [, heads, , depth] = pastShape(name) as [unknown, number, unknown, number];
      past[name] = new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, depth]);
    }
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
      const last = logits.subarray(logits.length - vocab);
      let best = -1;
      for (let v = 0; v < vocab; v++)
        if (!banned.includes(v) && (best < 0 || (last[v] as number) > (last[best] as number)))
          best = v;
      output.push(best);
      fed = [best];
      for (const name of pastNames)
        past[name] = result[name.replace('past_key_values', 'present')] as ort.Tensor;
    }
    return output;
  };
}
