// Initializers stored outside the .onnx file (onnx.proto TensorProto.data_location = EXTERNAL, the
// `location` key of external_data), as large Hugging Face exports do (`model.onnx_data`).
import { onnx } from './onnx.js';
import { subgraphs } from './node-attributes.js';

/**
 * The distinct `location`s (paths relative to the model's folder) of a model's external initializers,
 * in its graph and in every subgraph.
 *
 * @example
 * ```ts
 * externalDataLocations(decodeModel(bytes, 'onnx/model.onnx')); // ['model.onnx_data'], or [] for a self-contained file
 * ```
 */
export function externalDataLocations(model: onnx.IModelProto): string[] {
  const locations = new Set<string>();
  const visit = (graph: onnx.IGraphProto): void => {
    for (const tensor of graph.initializer ?? []) {
      if (tensor.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
      const location = tensor.externalData?.find((entry) => entry.key === 'location')?.value;
      if (location) locations.add(location);
    }
    for (const node of graph.node ?? [])
      for (const { graph: subgraph } of subgraphs(node)) visit(subgraph);
  };
  if (model.graph) visit(model.graph);
  return [...locations];
}
