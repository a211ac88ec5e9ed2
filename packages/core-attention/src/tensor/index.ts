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
export { seededRandom, type Random } from './seeded-random.js';
