// Validation and canonical form of a tap request: same layers, same cache key, whatever the order asked.
import { describeValue, invalidArgument } from '../../errors/index.js';
import {
  attentionKinds,
  type AttentionKind,
  type LayerSelection,
  type TapRequest,
} from './attention-kind.js';

/**
 * Checks `request` and returns it with kinds in canonical order, layers sorted and deduplicated, empty kinds dropped.
 *
 * @example
 * ```ts
 * normalizeTapRequest({ cross: [3, 1, 3], encoder_self: [] }); // { cross: [1, 3] }
 * normalizeTapRequest({ decoder_self: 'all' }); // { decoder_self: 'all' }
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for an unknown kind, or a selection that is neither 'all' nor an array of
 * non-negative integers.
 */
export function normalizeTapRequest(request: TapRequest): TapRequest {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw invalidArgument(
      'tapModel',
      'request',
      `an object with keys among ${attentionKinds.join(', ')}`,
      describeValue(request),
    );
  }
  for (const kind of Object.keys(request)) {
    if (!attentionKinds.includes(kind as AttentionKind)) {
      throw invalidArgument(
        'tapModel',
        'request',
        `keys among ${attentionKinds.join(', ')}`,
        `'${kind}'`,
      );
    }
  }
  const normalized: TapRequest = {};
  for (const kind of attentionKinds) {
    const selection: LayerSelection | undefined = request[kind];
    if (selection === undefined) continue;
    if (selection === 'all') {
      normalized[kind] = 'all';
      continue;
    }
    if (
      !Array.isArray(selection) ||
      !selection.every((layer) => Number.isInteger(layer) && layer >= 0)
    ) {
      throw invalidArgument(
        'tapModel',
        `request.${kind}`,
        "'all' or an array of non-negative layer indices",
        describeValue(selection),
      );
    }
    if (selection.length > 0) normalized[kind] = [...new Set(selection)].sort((a, b) => a - b);
  }
  return normalized;
}
