// @attn/vision: detect() and segment() with the attention behind them; images in (sharp), model inputs out,
// and overlays of what the model attended to.
export { type RgbImage, expectRgbImage } from './image/rgb-image.js';
export {
  loadImage,
  defaultPixelLimit,
  type LoadImageOptions,
  type LoadedImage,
  type ImageSource,
} from './image/load-image.js';
export { encodePng, rasterChannels, type Raster } from './image/encode-png.js';
export { writePng } from './image/write-png.js';
export { resampleImage, type ResampleFilter } from './preprocess/resample-image.js';
export { resizeOutputSize, type ResizeTarget, type Size } from './preprocess/resize-output-size.js';
export {
  imageProcessorSettings,
  pilResampleFilters,
  type ImageProcessorSettings,
  type ChannelValues,
  type PadTo,
} from './preprocess/image-processor-settings.js';
export {
  preprocessImages,
  type ImageGeometry,
  type PreprocessedImages,
} from './preprocess/preprocess-images.js';
export { type Box } from './boxes/box.js';
export { centerBoxToPixels } from './boxes/center-box-to-pixels.js';
export { boxIou } from './boxes/box-iou.js';
export { overlayHeatmap, type OverlayHeatmapOptions } from './overlay/overlay-heatmap.js';
export { drawBoxes, type BoxAnnotation, type DrawBoxesOptions } from './overlay/draw-boxes.js';
export { headGrid, type HeadGridOptions } from './overlay/head-grid.js';
export { compositeSvg } from './overlay/composite-svg.js';
export { canRenderText } from './overlay/can-render-text.js';
export { labelColor } from './overlay/label-color.js';
export { type ImageInput } from './pipeline/image-inputs.js';
export { disposeVisionModels, type VisionModelSource } from './pipeline/vision-model.js';
export {
  detect,
  defaultDetectionModel,
  detectionTypes,
  type DetectOptions,
  type Detection,
  type DetectedObject,
} from './detect/detect.js';
export { detectionScores, type QueryClass } from './detect/detection-scores.js';
export { upsampleAttention } from './detect/upsample-attention.js';
export {
  segment,
  defaultSegmentationModel,
  segmentationTypes,
  type SegmentOptions,
  type Segmentation,
} from './segment/segment.js';
export { attentionMassMask } from './segment/attention-mass-mask.js';
export { upsampleMask } from './segment/upsample-mask.js';
export { detectionOverlay, type DetectionOverlayOptions } from './detect/detection-overlay.js';
export {
  segmentationOverlay,
  type SegmentationOverlayOptions,
} from './segment/segmentation-overlay.js';
export {
  segmentationHeadGrid,
  type SegmentationHeadGridOptions,
} from './segment/segmentation-head-grid.js';

// The one error class of every attn package (from @attn/core-attention), so that catching it needs no other import.
export { AttnError, type AttnErrorCode } from '@attn/core-attention';
