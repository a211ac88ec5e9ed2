// The floor for generation benchmarks: a bare greedy loop on onnxruntime-node over an encoder–decoder folder
// (a plain decoder with a decoder KV cache, or Optimum's merged decoder with the cross-attention cache behind
// use_cache_branch) — no tokenizer work beyond ids, no taps, no analysis, no validation. Its sessions get attn's
// session options unless told otherwise, so that the gap to attn is attn's own work.
import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { sessionOptions } from '@attn/core-attention/runtime';

/**
 * Loads the two sessions once (with `sessionOverrides` over attn's session options); `run(batch)` greedily decodes
 * a batch of id rows (right-padded).
 */
export async function rawGreedyTranslator(
  folder: string,
  config: { decoderStart: number; eos: number; pad: number },
  sessionOverrides: ort.InferenceSession.SessionOptions = {},
) {
  const options = sessionOptions(sessionOverrides);
  const encoder = await ort.InferenceSession.create(
    join(folder, 'onnx/encoder_model.onnx'),
    options,
  );
  const decoder = await ort.InferenceSession.create(
    join(folder, 'onnx/decoder_model_merged.onnx'),
    options,
  );
  const pastShape = (name: string): readonly (number | string)[] => {
    const metadata = decoder.inputMetadata.find((input) => input.name === name);
    return metadata?.isTensor ? metadata.shape : [];
  };

  return async function run(batch: number[][], maxNewTokens: number): Promise<number[][]> {
    const rows = batch.length;
    const length = Math.max(...batch.map((row) => row.length));
    const ids = new BigInt64Array(rows * length);
    const mask = new BigInt64Array(rows * length);
    batch.forEach((row, r) =>
      row.forEach((id, i) => ((ids[r * length + i] = BigInt(id)), (mask[r * length + i] = 1n))),
    );
    const attentionMask = new ort.Tensor('int64', mask, [rows, length]);
    const { last_hidden_state: hidden } = await encoder.run({
      input_ids: new ort.Tensor('int64', ids, [rows, length]),
      attention_mask: attentionMask,
    });
    const past: Record<string, ort.Tensor> = {};
    for (const name of decoder.inputNames.filter((input) => input.startsWith('past_key_values.'))) {
      const [, heads, , depth] = pastShape(name) as [unknown, number, unknown, number];
      past[name] = new ort.Tensor('float32', new Float32Array(0), [rows, heads, 0, depth]);
    }
    const crossCache = decoder.inputNames.includes('use_cache_branch');
    const outputs = batch.map((): number[] => []);
    const done = new Array<boolean>(rows).fill(false);
    let next = new BigInt64Array(rows).fill(BigInt(config.decoderStart));
    for (let step = 0; step < maxNewTokens && done.includes(false); step++) {
      const result = await decoder.run({
        input_ids: new ort.Tensor('int64', next, [rows, 1]),
        encoder_attention_mask: attentionMask,
        encoder_hidden_states: hidden as ort.Tensor,
        ...past,
        ...(crossCache
          ? { use_cache_branch: new ort.Tensor('bool', Uint8Array.of(step > 0 ? 1 : 0), [1]) }
          : {}),
      });
      const logits = (result['logits'] as ort.Tensor).data as Float32Array;
      const vocab = logits.length / rows;
      next = new BigInt64Array(rows);
      for (let r = 0; r < rows; r++) {
        let best = 0;
        for (let v = 1; v < vocab; v++)
          if ((logits[r * vocab + v] as number) > (logits[r * vocab + best] as number)) best = v;
        if (done[r]) best = config.pad;
        else outputs[r]!.push(best);
        if (best === config.eos) done[r] = true;
        next[r] = BigInt(best);
      }
      for (const name of Object.keys(past))
        past[name] = result[name.replace('past_key_values', 'present')] as ort.Tensor;
    }
    return outputs;
  };
}
