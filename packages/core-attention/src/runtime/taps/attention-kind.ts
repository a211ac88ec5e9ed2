// The kinds of attention a graph can be tapped for, the request format, and the stable names the taps get.
//
// Tap names (graph outputs of a tapped model, and keys of readAttentionTaps' result):
//   attn.encoder_self.{layer}  encoder self-attention     [B,H,T,T]
//   attn.decoder_self.{layer}  decoder self-attention     [B,H,T,T_total] (T_total includes cached positions)
//   attn.cross.{layer}         decoder-to-encoder attention [B,H,T,S]
// A fused operator's taps get one output per tapped input instead: attn.{kind}.{layer}.{role} (role: query, key, …).

/** Which attention a tap reads. */
export type AttentionKind = 'encoder_self' | 'decoder_self' | 'cross';

/** Every attention kind, in the order a request is normalised to. */
export const attentionKinds: readonly AttentionKind[] = ['encoder_self', 'decoder_self', 'cross'];

/** Layers to tap: every layer of the kind, or the listed ones (0-based, in graph order). */
export type LayerSelection = 'all' | readonly number[];

/** The taps asked for, by kind; kinds left out are not tapped. */
export type TapRequest = Partial<Record<AttentionKind, LayerSelection>>;

/**
 * The stable name of the tap of `kind` at `layer`.
 *
 * @example
 * ```ts
 * tapName('cross', 3); // 'attn.cross.3'
 * ```
 */
export function tapName(kind: AttentionKind, layer: number): string {
  return `attn.${kind}.${layer}`;
}
