// Maximum flow through a layered graph by Edmonds–Karp (shortest augmenting paths by breadth-first
// search; Edmonds & Karp 1972), for attention flow. Dense: every node of a level links to every node above.
//
// Legend: levels 0..L of T nodes each, node id = level·T + t; C [L, T, T] with C[l−1][i, j] the capacity of
// the edge from node j of level l−1 up to node i of level l; F [L, T, T] the flow on those edges.
// Residual graph: up j→i with C − F left, down i→j with F to undo.

/** Residual capacity below which an edge counts as saturated (guards against float round-off loops). */
const epsilon = 1e-12;

/** Buffers reused across the T² runs of one attention-flow computation. */
export interface MaxFlowScratch {
  flow: Float64Array;
  parent: Int32Array;
  queue: Int32Array;
}

/**
 * Buffers for {@link layeredMaxFlow} on a graph of L edge layers and T nodes per level.
 *
 * @example
 * ```ts
 * const scratch = maxFlowScratch(2, 3); // flow of 2·3·3, parent and queue of 3·3
 * ```
 */
export function maxFlowScratch(L: number, T: number): MaxFlowScratch {
  const nodes = (L + 1) * T;
  return {
    flow: new Float64Array(L * T * T),
    parent: new Int32Array(nodes),
    queue: new Int32Array(nodes),
  };
}

/**
 * Value of the maximum flow from node `source` of level 0 to node `sink` of level L. Inputs are trusted.
 *
 * @example
 * ```ts
 * // one edge layer, two nodes per level: the only path from 0 to 1 is the edge with capacity C[0][1, 0]
 * layeredMaxFlow(new Float64Array([0.5, 0.5, 0.25, 0.75]), 1, 2, 0, 1, maxFlowScratch(1, 2)); // 0.25
 * ```
 */
export function layeredMaxFlow(
  C: Float64Array,
  L: number,
  T: number,
  source: number,
  sink: number,
  scratch: MaxFlowScratch,
): number {
  const { flow: F, parent, queue } = scratch;
  F.fill(0);
  const target = L * T + sink;
  let total = 0;
  for (;;) {
    // 1) breadth-first search for the shortest augmenting path; parent[v] = previous node id
    parent.fill(-1);
    parent[source] = source;
    let head = 0;
    let tail = 0;
    queue[tail++] = source;
    while (head < tail && (parent[target] as number) < 0) {
      const node = queue[head++] as number;
      const level = Math.floor(node / T);
      const t = node - level * T;
      if (level < L) {
        const edges = level * T * T; // C[level] holds edges from this level up to level + 1
        for (let i = 0; i < T; i++) {
          const next = (level + 1) * T + i;
          if (
            (parent[next] as number) < 0 &&
            (C[edges + i * T + t] as number) - (F[edges + i * T + t] as number) > epsilon
          ) {
            parent[next] = node;
            queue[tail++] = next;
          }
        }
      }
      if (level > 0) {
        const edges = (level - 1) * T * T;
        for (let j = 0; j < T; j++) {
          const next = (level - 1) * T + j;
          if ((parent[next] as number) < 0 && (F[edges + t * T + j] as number) > epsilon) {
            parent[next] = node;
            queue[tail++] = next;
          }
        }
      }
    }
    if ((parent[target] as number) < 0) return total;
    // 2) bottleneck along the path, then 3) push it
    let bottleneck = Infinity;
    for (let node = target; node !== source; node = parent[node] as number) {
      bottleneck = Math.min(bottleneck, residual(C, F, T, parent[node] as number, node));
    }
    for (let node = target; node !== source; node = parent[node] as number) {
      const from = parent[node] as number;
      const edge = edgeIndex(T, from, node);
      F[edge] = (F[edge] as number) + (node > from ? bottleneck : -bottleneck);
    }
    total += bottleneck;
  }
}

/** Index in C / F of the edge between adjacent-level nodes `a` and `b` (either direction). */
function edgeIndex(T: number, a: number, b: number): number {
  const [lower, upper] = a < b ? [a, b] : [b, a];
  const level = Math.floor(upper / T); // the edge belongs to C[level − 1]
  return (level - 1) * T * T + (upper - level * T) * T + (lower - (level - 1) * T);
}

function residual(C: Float64Array, F: Float64Array, T: number, from: number, to: number): number {
  const edge = edgeIndex(T, from, to);
  return to > from ? (C[edge] as number) - (F[edge] as number) : (F[edge] as number);
}
