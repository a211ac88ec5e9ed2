// onnxruntime session options that the benches compare with attn's default threads, which spin while a run lasts
// and stop after it (@attn/core-attention's sessionOptions()).
import type { InferenceSession } from 'onnxruntime-node';

/** onnxruntime's own default: operator threads that keep spinning after a run, taking a core from what runs next. */
export const spinningAfterRuns: InferenceSession.SessionOptions = {
  extra: { session: { intra_op: { allow_spinning: '1' }, force_spinning_stop: '0' } },
};

/** Operator threads that sleep as soon as they are out of work. */
export const sleepingThreads: InferenceSession.SessionOptions = {
  extra: { session: { intra_op: { allow_spinning: '0' } } },
};
