// What a node's name says about the attention it computes, for the naming conventions of PyTorch exports through
// Hugging Face Optimum: /model/decoder/layers.3/encoder_attn/Softmax (BART, Marian, Whisper, DETR),
// /decoder/block.1/layer.1/EncDecAttention/Softmax (T5), /bert/encoder/layer.0/attention/self/Softmax (BERT),
// /transformer/h.0/attn/Softmax (GPT-2), /vit/encoder/layer.0/attention/attention/Softmax (ViT).
import type { AttentionKind } from './attention-kind.js';

/** What a name tells: the kind ('self' when only "not cross" is known) and the layer, each when found. */
export interface NameClassification {
  kind: AttentionKind | 'self' | undefined;
  layer: number | undefined;
}

const layerSegment = /^(?:layers?|h|blocks?|blk)\.(\d+)$/;
const crossSegment =
  /^(?:encoder_attn|encdecattention|crossattention|cross_attn|cross_attention|src_attn|encoder_decoder_attention|multihead_attn)$/i;
const selfSegment = /^(?:self_attn|selfattention|self_attention|attn|attention|self)$/i;

/**
 * Reads the attention kind and layer out of a node (or value) name.
 *
 * @example
 * ```ts
 * classifyAttentionName('/model/decoder/layers.3/encoder_attn/Softmax'); // { kind: 'cross', layer: 3 }
 * classifyAttentionName('/bert/encoder/layer.0/attention/self/Softmax'); // { kind: 'encoder_self', layer: 0 }
 * classifyAttentionName('/transformer/h.5/attn/Softmax'); // { kind: 'self', layer: 5 }
 * classifyAttentionName('Softmax_12'); // { kind: undefined, layer: undefined }
 * ```
 */
export function classifyAttentionName(name: string): NameClassification {
  const segments = name.split('/').filter((segment) => segment !== '');
  let layer: number | undefined;
  let stack: 'encoder' | 'decoder' | undefined;
  let kind: NameClassification['kind'];
  for (const segment of segments) {
    const match = layerSegment.exec(segment);
    if (match !== null && layer === undefined) layer = Number(match[1]); // the outermost: T5 has block.2/layer.0
    if (segment === 'encoder' || segment === 'decoder') stack = segment;
    if (crossSegment.test(segment)) kind = 'cross';
    else if (kind === undefined && selfSegment.test(segment)) kind = 'self';
  }
  if (kind === 'cross') return { kind, layer };
  if (stack !== undefined)
    return { kind: stack === 'encoder' ? 'encoder_self' : 'decoder_self', layer };
  return { kind, layer };
}
