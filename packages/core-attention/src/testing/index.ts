// Test helpers shared by every package: import from '@attn/core-attention/testing', never copy.
export { seededRandom, randomNormal, randomInt, type Random } from './random.js';
export { expectClose, type CloseOptions } from './expect-close.js';
export { sharedDataPath, repositoryRoot } from './shared-data.js';
export {
  startHubServer,
  type HubServer,
  type HubServerFaults,
  type HubServerFiles,
  type HubServerOptions,
  type HubServerRepo,
  type HubServerRequest,
} from './hub-server.js';
export {
  fakeDecoderStepper,
  type FakeDecoderStepper,
  type FakeStepperOptions,
} from './fake-decoder-stepper.js';
export {
  OnnxBuilder,
  withExternalData,
  type OnnxBuilderOptions,
  type OnnxNodeOptions,
  type OnnxAttribute,
} from './onnx-builder.js';
export {
  attentionGraph,
  attentionGraphInputs,
  type AttentionInputsOptions,
  type AttentionGraph,
  type AttentionGraphOptions,
  type AttentionBlock,
  type FusedAttentionOp,
} from './attention-graphs.js';
export { readNpz, readNpy, type NpyArray } from './npz.js';
export { toneWav } from './tone-wav.js';
