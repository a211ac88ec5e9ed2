// What the two raw onnxruntime floors (raw-onnxruntime-greedy.ts, raw-onnxruntime-causal.ts) share: the empty KV
// cache of the first step, the cache a step hands to the next, and the greedy pick of one row of logits.
import * as ort from 'onnxruntime-node';

/**
 * Zero-length past_key_values.* feeds for `rows` rows ([rows, heads, 0, headDim], the sizes read off the session's
 * input metadata), for every past input the session has.
 */
export function emptyPast(session: ort.InferenceSession, rows: number): Record<string, ort.Tensor> {
  const past: Record<string, ort.Tensor> = {};
  for (const metadata of session.inputMetadata) {
    if (!metadata.name.startsWith('past_key_values.') || !metadata.isTensor) continue;
    const [, heads, , depth] = metadata.shape as [unknown, number, unknown, number];
    past[metadata.name] = new ort.Tensor('float32', new Float32Array(0), [rows, heads, 0, depth]);
  }
  return past;
}

/** The next step's past: each present.* output of `result` under its past_key_values.* name. */
export function nextPast(
  past: Readonly<Record<string, ort.Tensor>>,
  result: ort.InferenceSession.ReturnType,
): Record<string, ort.Tensor> {
  const next: Record<string, ort.Tensor> = {};
  for (const name of Object.keys(past))
    next[name] = result[name.replace('past_key_values', 'present')] as ort.Tensor;
  return next;
}

/**
 * The first index of the largest of logits[from, from + vocab), never one of `banned` (their logits are set to
 * -Infinity in place: a run's output, read once).
 */
export function argmaxRow(
  logits: Float32Array,
  from: number,
  vocab: number,
  banned: readonly number[] = [],
): number {
  for (const id of banned) logits[from + id] = Number.NEGATIVE_INFINITY;
  let best = 0;
  for (let v = 1; v < vocab; v++)
    if ((logits[from + v] as number) > (logits[from + best] as number)) best = v;
  return best;
}
