// Reading node attributes (onnx.proto AttributeProto) by name, and the subgraphs a node carries.
import { onnx, toNumber } from './onnx.js';

/**
 * An integer attribute of `node`, or `fallback` when it is absent.
 *
 * @example
 * ```ts
 * intAttribute({ opType: 'Softmax', attribute: [{ name: 'axis', type: 2, i: -1 }] }, 'axis', 1); // -1
 * ```
 */
export function intAttribute(node: onnx.INodeProto, name: string, fallback: number): number {
  const attribute = node.attribute?.find((candidate) => candidate.name === name);
  return attribute === undefined ? fallback : toNumber(attribute.i);
}

/**
 * A float attribute of `node`, or `fallback` when it is absent.
 *
 * @example
 * ```ts
 * floatAttribute({ opType: 'MultiHeadAttention', attribute: [{ name: 'scale', type: 1, f: 0.5 }] }, 'scale', 0); // 0.5
 * ```
 */
export function floatAttribute(node: onnx.INodeProto, name: string, fallback: number): number {
  const attribute = node.attribute?.find((candidate) => candidate.name === name);
  return attribute === undefined ? fallback : (attribute.f ?? 0);
}

/**
 * An integer-list attribute of `node`, or undefined when it is absent.
 *
 * @example
 * ```ts
 * intsAttribute({ opType: 'Transpose', attribute: [{ name: 'perm', type: 7, ints: [0, 2, 1, 3] }] }, 'perm'); // [0, 2, 1, 3]
 * ```
 */
export function intsAttribute(node: onnx.INodeProto, name: string): number[] | undefined {
  const attribute = node.attribute?.find((candidate) => candidate.name === name);
  return attribute === undefined ? undefined : (attribute.ints ?? []).map(toNumber);
}

/**
 * Sets (or replaces) an integer attribute of `node`.
 *
 * @example
 * ```ts
 * const node = { opType: 'Attention', attribute: [] };
 * setIntAttribute(node, 'qk_matmul_output_mode', 3);
 * intAttribute(node, 'qk_matmul_output_mode', 0); // 3
 * ```
 */
export function setIntAttribute(node: onnx.INodeProto, name: string, value: number): void {
  const attributes = (node.attribute ?? []).filter((candidate) => candidate.name !== name);
  attributes.push({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
  node.attribute = attributes;
}

/**
 * The graphs a node carries as attributes (If's `then_branch` / `else_branch`, Loop's and Scan's `body`).
 *
 * @example
 * ```ts
 * subgraphs(ifNode).map(({ attribute }) => attribute); // ['then_branch', 'else_branch']
 * ```
 */
export function subgraphs(node: onnx.INodeProto): { attribute: string; graph: onnx.IGraphProto }[] {
  const found: { attribute: string; graph: onnx.IGraphProto }[] = [];
  for (const attribute of node.attribute ?? []) {
    if (attribute.g !== null && attribute.g !== undefined)
      found.push({ attribute: attribute.name ?? '', graph: attribute.g });
    for (const graph of attribute.graphs ?? [])
      found.push({ attribute: attribute.name ?? '', graph });
  }
  return found;
}
