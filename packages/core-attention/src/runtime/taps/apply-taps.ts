// Rewrites a decoded model so the requested attention layers become graph outputs. Each tapped value gets a Cast
// (to float32, or int32 for masks) named after the tap; a value inside an If branch (Optimum's merged decoders keep
// both the first-step and the with-cache decoder in `use_cache_branch`) is passed out through both branches.
import { AttnError } from '../../errors/index.js';
import {
  addGraphOutput,
  indexGraph,
  onnx,
  onnxDataType,
  subgraphs,
  toNumber,
  valueInfo,
  type DeclaredDim,
  type GraphIndex,
} from '../onnx-graph/index.js';
import { attentionKinds, tapName, type AttentionKind, type TapRequest } from './attention-kind.js';
import {
  findAttentionSites,
  type AttentionOperator,
  type AttentionSite,
  type FindAttentionOptions,
} from './find-attention-sites.js';
import type { RecomputeRecipe } from './recompute-attention.js';
import { siteTapValues, type TapRole, type TapValue } from './site-tap-values.js';

/** One tap of a rewritten model: where its graph outputs are and how to turn them into probabilities. */
export interface AttentionTap {
  /** 'attn.{kind}.{layer}', the key of readAttentionTaps' result. */
  name: string;
  kind: AttentionKind;
  layer: number;
  operator: AttentionOperator;
  /** Name of the Softmax or fused node, for messages. */
  node: string;
  /** Graph output holding each tapped value: `{ probabilities: 'attn.cross.0' }` or `{ query: 'attn.cross.0.query', … }`. */
  outputs: Partial<Record<TapRole, string>>;
  /** Present when the probabilities are recomputed from a fused operator's inputs. */
  recipe: RecomputeRecipe | undefined;
}

/** Attention sites of a graph and of the branches of its If nodes. */
interface Scope {
  index: GraphIndex;
  sites: AttentionSite[];
  branches: { node: onnx.INodeProto; then: Scope; otherwise: Scope }[];
}

/**
 * The layers of each kind a model can be tapped for.
 *
 * @example
 * ```ts
 * attentionLayers(decodeModel(bytes, 'decoder_model_merged.onnx'));
 * // { encoder_self: [], decoder_self: [0, 1, 2, 3, 4, 5], cross: [0, 1, 2, 3, 4, 5] }
 * ```
 */
export function attentionLayers(
  model: onnx.IModelProto,
  options: FindAttentionOptions = {},
): Record<AttentionKind, number[]> {
  return layersOf(scopeOf(indexGraph(model.graph ?? {}), options));
}

function layersOf(root: Scope): Record<AttentionKind, number[]> {
  const available = availableKeys(root);
  const layers = { encoder_self: [], decoder_self: [], cross: [] } as Record<
    AttentionKind,
    number[]
  >;
  for (const key of available) {
    const [kind, layer] = key.split('.') as [AttentionKind, string];
    layers[kind].push(Number(layer));
  }
  for (const kind of attentionKinds) layers[kind].sort((a, b) => a - b);
  return layers;
}

/**
 * Adds the requested taps to `model` (in place) and describes them.
 *
 * @example
 * ```ts
 * const model = decodeModel(bytes, 'decoder_model_merged.onnx');
 * const taps = applyTaps(model, { cross: [5] });
 * taps[0]?.outputs; // { probabilities: 'attn.cross.5' }
 * const rewritten = encodeModel(model);
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for an unknown kind or a layer the graph does not have (the message lists the
 * layers it has); UNSUPPORTED for fused operators whose probabilities cannot be recovered.
 */
export function applyTaps(
  model: onnx.IModelProto,
  request: TapRequest,
  options: FindAttentionOptions = {},
): AttentionTap[] {
  const root = scopeOf(indexGraph(model.graph ?? {}), options);
  const layers = layersOf(root);
  const taps: AttentionTap[] = [];
  for (const [kind, selection] of Object.entries(request) as [
    AttentionKind,
    TapRequest[AttentionKind],
  ][]) {
    if (!attentionKinds.includes(kind)) {
      throw new AttnError(
        'INVALID_ARGUMENT',
        `tapModel(): request.${kind} is not an attention kind; expected ${attentionKinds.join(', ')}`,
      );
    }
    if (selection === undefined) continue;
    const wanted =
      selection === 'all' ? layers[kind] : [...new Set(selection)].sort((a, b) => a - b);
    if (wanted.length === 0) throw missingLayer(kind, undefined, layers, root);
    for (const layer of wanted) {
      if (!layers[kind].includes(layer)) throw missingLayer(kind, layer, layers, root);
      const name = tapName(kind, layer);
      const exposed = expose(root, `${kind}.${layer}`, name, '');
      const outputs: Partial<Record<TapRole, string>> = {};
      for (const value of exposed.values) {
        addGraphOutput(
          model.graph as onnx.IGraphProto,
          outputName(name, value.role),
          value.type,
          value.dims,
        );
        outputs[value.role] = outputName(name, value.role);
      }
      taps.push({
        name,
        kind,
        layer,
        operator: exposed.site.operator,
        node: exposed.site.node.name ?? '',
        outputs,
        recipe: exposed.recipe,
      });
    }
  }
  return taps;
}

function scopeOf(index: GraphIndex, options: FindAttentionOptions): Scope {
  const branches: Scope['branches'] = [];
  for (const node of index.nodes) {
    if (node.opType !== 'If') continue;
    const graphs = subgraphs(node);
    const then = graphs.find(({ attribute }) => attribute === 'then_branch')?.graph;
    const otherwise = graphs.find(({ attribute }) => attribute === 'else_branch')?.graph;
    if (then === undefined || otherwise === undefined) continue;
    branches.push({
      node,
      then: scopeOf(indexGraph(then, index), options),
      otherwise: scopeOf(indexGraph(otherwise, index), options),
    });
  }
  return { index, sites: findAttentionSites(index, options), branches };
}

/** 'kind.layer' keys tappable from this scope: its own sites, and those present in both branches of an If. */
function availableKeys(scope: Scope): Set<string> {
  const keys = new Set(scope.sites.map((site) => `${site.kind}.${site.layer}`));
  for (const { then, otherwise } of scope.branches) {
    const elseKeys = availableKeys(otherwise);
    for (const key of availableKeys(then)) if (elseKeys.has(key)) keys.add(key);
  }
  return keys;
}

interface Exposed {
  site: AttentionSite;
  recipe: RecomputeRecipe | undefined;
  values: (TapValue & { dims: DeclaredDim[] | undefined })[];
}

/** Makes the values of site `key` available in `scope` under `${outputName(tap, role)}${suffix}`. */
function expose(scope: Scope, key: string, tap: string, suffix: string): Exposed {
  const site = scope.sites.find((candidate) => `${candidate.kind}.${candidate.layer}` === key);
  if (site !== undefined) {
    const { values, recipe } = siteTapValues(site, `${tap}${suffix}`);
    const graph = scope.index.graph;
    for (const value of values) {
      const output = `${outputName(tap, value.role)}${suffix}`;
      const to = {
        name: 'to',
        type: onnx.AttributeProto.AttributeType.INT,
        i: onnxDataType(value.type),
      };
      graph.node = [
        ...(graph.node ?? []),
        {
          opType: 'Cast',
          name: `${output}/Cast`,
          input: [value.value],
          output: [output],
          attribute: [to],
        },
      ];
    }
    return {
      site,
      recipe,
      values: values.map((value) => ({
        ...value,
        dims: declaredDims(scope.index, value.value, outputName(tap, value.role)),
      })),
    };
  }
  for (const { node, then, otherwise } of scope.branches) {
    if (!availableKeys(then).has(key) || !availableKeys(otherwise).has(key)) continue;
    const fromThen = expose(then, key, tap, `${suffix}/then_branch`);
    const fromElse = expose(otherwise, key, tap, `${suffix}/else_branch`);
    const roles = (exposed: Exposed): string => exposed.values.map((value) => value.role).join(',');
    if (roles(fromThen) !== roles(fromElse)) {
      throw new AttnError(
        'UNSUPPORTED',
        `tapModel(): the branches of If node '${node.name}' compute ${key} differently (${fromThen.site.operator} vs ${fromElse.site.operator})`,
      );
    }
    for (const value of fromThen.values) {
      const output = outputName(tap, value.role);
      then.index.graph.output = [
        ...(then.index.graph.output ?? []),
        valueInfo(`${output}${suffix}/then_branch`, value.type, value.dims),
      ];
      otherwise.index.graph.output = [
        ...(otherwise.index.graph.output ?? []),
        valueInfo(`${output}${suffix}/else_branch`, value.type, value.dims),
      ];
      node.output = [...(node.output ?? []), `${output}${suffix}`];
    }
    return fromThen;
  }
  throw new AttnError('INVALID_ARGUMENT', `tapModel(): no attention ${key} in this graph`); // unreachable: keys are checked first
}

/** The shape the graph declares for `value` (value_info), unknown dims made symbolic; undefined when it declares none. */
function declaredDims(scope: GraphIndex, value: string, name: string): DeclaredDim[] | undefined {
  const graph = scope.graph;
  const info = [...(graph.valueInfo ?? []), ...(graph.output ?? []), ...(graph.input ?? [])].find(
    (candidate) => candidate.name === value,
  );
  const dims = info?.type?.tensorType?.shape?.dim;
  if (dims === undefined || dims === null) return undefined;
  return dims.map((dim, axis) => {
    if (dim.dimParam) return dim.dimParam;
    // decoded messages say which member of the oneof is set; plain objects just have it
    const hasValue =
      'value' in dim
        ? (dim as { value?: string }).value === 'dimValue'
        : dim.dimValue !== undefined && dim.dimValue !== null;
    return hasValue ? toNumber(dim.dimValue) : `${name}_dim${axis}`;
  });
}

function outputName(tap: string, role: TapRole): string {
  return role === 'probabilities' ? tap : `${tap}.${role}`;
}

/** Fused operators whose probabilities attn can neither read nor recompute. */
const opaqueAttention = new Set([
  'GroupQueryAttention',
  'DecoderMaskedMultiHeadAttention',
  'DecoderMaskedSelfAttention',
  'PackedAttention',
  'PackedMultiHeadAttention',
  'SparseAttention',
  'LongformerAttention',
]);

function opaqueOperators(scope: Scope): string[] {
  const here = scope.index.nodes
    .filter((node) => opaqueAttention.has(node.opType ?? ''))
    .map((node) => `${node.domain || 'ai.onnx'}.${node.opType}`);
  return [
    ...new Set([
      ...here,
      ...scope.branches.flatMap(({ then, otherwise }) => [
        ...opaqueOperators(then),
        ...opaqueOperators(otherwise),
      ]),
    ]),
  ];
}

function missingLayer(
  kind: AttentionKind,
  layer: number | undefined,
  layers: Record<AttentionKind, number[]>,
  root: Scope,
): AttnError {
  const opaque = opaqueOperators(root);
  if (opaque.length > 0) {
    return new AttnError(
      'UNSUPPORTED',
      `tapModel(): the graph computes attention with ${opaque.join(', ')}, which hides the probabilities and whose inputs attn cannot recompute them from`,
      {
        fix: 'use the unoptimised Optimum export of the model (plain MatMul / Softmax attention)',
      },
    );
  }
  const found = attentionKinds
    .filter((candidate) => layers[candidate].length > 0)
    .map((candidate) => `${candidate} layers [${layers[candidate].join(', ')}]`);
  return new AttnError(
    'INVALID_ARGUMENT',
    `tapModel(): the graph has no ${kind} attention${layer === undefined ? '' : ` at layer ${layer}`}; it has ${found.length === 0 ? 'no attention Softmax or fused attention node' : found.join(', ')}`,
    {
      likelyCause:
        kind === 'cross' || found.length === 0
          ? 'this file is not the part of the model that computes that attention (e.g. cross-attention lives in the decoder)'
          : 'the layer index is past the last layer',
      fix: 'ask for layers the graph has (attentionLayers() lists them)',
    },
  );
}
