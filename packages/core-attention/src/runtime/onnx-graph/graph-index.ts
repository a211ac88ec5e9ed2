// Lookups over an ONNX graph (onnx.proto GraphProto): which node produces a value, which nodes consume it.
// A subgraph (an If branch, a Loop body) may read values of its enclosing graphs, so lookups fall back to the parent.
import type { onnx } from './onnx.js';

/** Producers and consumers of the values of one graph, with its enclosing graph as fallback. */
export interface GraphIndex {
  readonly graph: onnx.IGraphProto;
  /** The enclosing graph, for a subgraph. */
  readonly parent: GraphIndex | undefined;
  /** The graph's nodes in file order (topological for a valid model). */
  readonly nodes: readonly onnx.INodeProto[];
  /** The node that outputs `value`, here or in an enclosing graph. */
  producer(value: string): onnx.INodeProto | undefined;
  /** The nodes of this graph that read `value` (not those of nested subgraphs). */
  consumers(value: string): readonly onnx.INodeProto[];
  /** True when `value` is an input (not an initializer) of this graph or an enclosing one. */
  isGraphInput(value: string): boolean;
  /** The initializer named `value`, here or in an enclosing graph. */
  initializer(value: string): onnx.ITensorProto | undefined;
}

/**
 * Indexes `graph` (and remembers `parent` for the values a subgraph reads from outside).
 *
 * @example
 * ```ts
 * const index = indexGraph(model.graph!);
 * index.producer('/model/encoder/layers.0/self_attn/Softmax_output_0')?.opType; // 'Softmax'
 * index.consumers('input_ids').map((node) => node.opType); // ['Gather']
 * ```
 */
export function indexGraph(graph: onnx.IGraphProto, parent?: GraphIndex): GraphIndex {
  const nodes = graph.node ?? [];
  const producers = new Map<string, onnx.INodeProto>();
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const node of nodes) {
    for (const output of node.output ?? []) if (output !== '') producers.set(output, node);
    for (const input of new Set(node.input ?? [])) {
      if (input === '') continue;
      const list = consumers.get(input);
      if (list === undefined) consumers.set(input, [node]);
      else list.push(node);
    }
  }
  const initializers = new Map(
    (graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]),
  );
  const inputs = new Set(
    (graph.input ?? []).map((input) => input.name ?? '').filter((name) => !initializers.has(name)),
  );
  return {
    graph,
    parent,
    nodes,
    producer: (value) => producers.get(value) ?? parent?.producer(value),
    consumers: (value) => consumers.get(value) ?? [],
    isGraphInput: (value) =>
      inputs.has(value) ||
      (!producers.has(value) && !initializers.has(value) && (parent?.isGraphInput(value) ?? false)),
    initializer: (value) =>
      initializers.get(value) ?? (producers.has(value) ? undefined : parent?.initializer(value)),
  };
}
