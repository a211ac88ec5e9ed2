export {
  type Tensor,
  type TensorType,
  type TensorDataTypes,
  typedArrayConstructors,
  sizeOf,
  stridesOf,
  createTensor,
  expectRank,
} from './tensor.js';
