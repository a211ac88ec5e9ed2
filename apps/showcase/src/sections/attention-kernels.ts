// Section: the core kernels on a caption — the same queries and keys under a causal mask, a sliding
// window and ALiBi's distance penalty, the rollout of a stack of such layers, and the streaming kernel
// checked against the reference on the spot.
import {
  alibiBias,
  attentionMatrixSvg,
  attentionRollout,
  causalMask,
  createAttentionMaps,
  createTensor,
  h,
  raw,
  scaledDotProductAttention,
  sinusoidalPositions,
  slidingWindowMask,
  streamingAttention,
  type AttentionMask,
  type Html,
  type Tensor,
} from '@attn/core-attention';
import type { ReportSection } from '../report.js';

const caption = 'A man in an orange hat starring at something .'.split(' ');
const depth = 32;

/** Queries and keys [1,1,T,D] from sinusoidal positions: their dot product depends on the distance between words. */
function positionalInputs(): Tensor<'float32'> {
  const positions = sinusoidalPositions(caption.length, depth);
  return createTensor('float32', [1, 1, caption.length, depth], positions.data);
}

function weightsUnder(mask: AttentionMask | undefined): Float32Array {
  const inputs = positionalInputs();
  const { weights } = scaledDotProductAttention(
    inputs,
    inputs,
    inputs,
    mask === undefined ? {} : { mask },
  );
  return (weights as Tensor<'float32'>).data;
}

function figure(title: string, weights: Float32Array): Html {
  return raw(attentionMatrixSvg(weights, { queryLabels: caption, keyLabels: caption, title }));
}

/** Largest |streaming - reference| over the output for the caption's inputs. */
function streamingDifference(): number {
  const inputs = positionalInputs();
  const reference = scaledDotProductAttention(inputs, inputs, inputs, {
    mask: causalMask(caption.length, caption.length),
  });
  const streamed = streamingAttention(inputs, inputs, inputs, {
    mask: causalMask(caption.length, caption.length),
    chunkSize: 3,
  });
  let largest = 0;
  for (let i = 0; i < reference.output.data.length; i++) {
    largest = Math.max(
      largest,
      Math.abs((reference.output.data[i] as number) - (streamed.output.data[i] as number)),
    );
  }
  return largest;
}

/** The kernels section of the report. */
export function attentionKernelsSection(): ReportSection {
  const length = caption.length;
  const causal = weightsUnder(causalMask(length, length));
  const window = weightsUnder(slidingWindowMask(length, length, 3));
  const alibi = weightsUnder(alibiBias(1, length, length));
  const layers = createAttentionMaps({
    kind: 'self',
    layers: [0, 1, 2],
    heads: [0],
    queryLabels: caption,
    keyLabels: caption,
    data: Float32Array.from([...causal, ...window, ...alibi]),
  });
  const rollout = attentionRollout(layers);
  return {
    id: 'kernels',
    title: 'Attention kernels',
    summary:
      'The same positional queries and keys under three masks, and the rollout of the three as one stack of layers (Abnar & Zuidema 2020).',
    body: h('div', {}, [
      figure('causal', causal),
      figure('sliding window of 3', window),
      figure('ALiBi distance penalty', alibi),
      figure('rollout of the three layers', rollout.data),
      h(
        'p',
        { class: 'note' },
        `Streaming attention (online softmax, chunks of 3 keys) vs the reference kernel: largest difference ${streamingDifference().toExponential(2)} (float32 rounding).`,
      ),
    ]),
  };
}
