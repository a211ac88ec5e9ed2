export {
  openModelFolder,
  ModelFolder,
  type OpenModelOptions,
  type ModelConfig,
} from './open-model-folder.js';
export {
  modelArchitecture,
  knownModelTypes,
  type ModelArchitecture,
  type OnnxSessionName,
} from './model-types.js';
export {
  onnxFileName,
  parseOnnxFileName,
  dtypeSuffixes,
  type ModelDtype,
} from './onnx-file-name.js';
export { localFiles, hubFiles, missingFile, type FolderFiles } from './folder-files.js';
