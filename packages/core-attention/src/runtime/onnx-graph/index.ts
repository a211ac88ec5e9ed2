export { onnx, toNumber } from './onnx.js';
export { onnxDataType, tensorTypeOf } from './element-type.js';
export { decodeModel, readModel, readModelFile, encodeModel } from './decode-model.js';
export { indexGraph, type GraphIndex } from './graph-index.js';
export {
  intAttribute,
  floatAttribute,
  intsAttribute,
  setIntAttribute,
  subgraphs,
} from './node-attributes.js';
export { valueInfo, addGraphOutput, type DeclaredDim } from './graph-outputs.js';
export { externalDataLocations } from './external-data.js';
