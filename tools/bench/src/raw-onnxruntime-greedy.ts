// The floor for generation benchmarks: a bare greedy loop on onnxruntime-node over an encoder–decoder folder
// (a plain decoder with a decoder KV cache, or Optimum's merged decoder with the cross-attention cache behind
// use_cache_branch) — no tokenizer work beyond ids, no taps, no analysis, no validation. Its sessions get attn's
// session options unless told otherwise, so that the gap to attn is attn's own work.
import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { sessionOptions } from '@attn/core-attention/runtime';
import { argmaxRow, emptyPast, nextPast } from './raw-onnxruntime-loop.js';

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
    let past = emptyPast(decoder, rows);
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
        let best = argmaxRow(logits, r * vocab, vocab);
        if (done[r]) best = config.pad;
        else outputs[r]!.push(best);
        if (best === config.eos) done[r] = true;
        next[r] = BigInt(best);
      }
      past = nextPast(past, result);
    }
    return outputs;
  };
}
