// A segmentation from a vision transformer's attention: the [CLS] map of one head of the last layer, or the
// combined map (heads' mean, or attention rollout through every layer) with the mask cut from it.
import type { SegmentResult } from '../../api/studio-api.js';
import { element, warningList } from '../dom.js';
import { imageStage } from './image-stage.js';

/**
 * The view of a segmentation; toggling rollout calls `rerun` with the other way of combining.
 *
 * @example
 * ```ts
 * resultSection.replaceChildren(segmentView(result, url, (combine) => run({ combine })));
 * ```
 */
export function segmentView(
  result: SegmentResult,
  imageUrl: string,
  rerun: (combine: 'mean' | 'rollout') => void,
): HTMLElement {
  const { grid } = result;
  const stage = imageStage(
    imageUrl,
    result.width,
    result.height,
    'the uploaded image with its attention',
  );
  const mapSelect = element('select', { name: 'map' }, [
    element('option', { value: 'combined' }, [
      result.combine === 'rollout' ? 'rollout (all layers)' : 'mean of the heads',
    ]),
    ...result.headMaps.map((_, head) => element('option', { value: head }, [`head ${head}`])),
  ]);
  const rollout = element('input', {
    type: 'checkbox',
    name: 'rollout',
    checked: result.combine === 'rollout',
  });
  const showMask = element('input', { type: 'checkbox', name: 'mask', checked: true });
  const draw = (): void => {
    stage.clear();
    const map =
      mapSelect.value === 'combined'
        ? result.combinedMap
        : result.headMaps[Number(mapSelect.value)]!;
    stage.heatmap(map, grid.rows, grid.cols);
    if (!showMask.checked) return;
    // outline the kept patches
    const { context, scale } = stage;
    const cellWidth = (result.width / grid.cols) * scale;
    const cellHeight = (result.height / grid.rows) * scale;
    context.strokeStyle = '#00e5ff';
    context.lineWidth = 2;
    result.mask.forEach((kept, patch) => {
      if (kept === 1)
        context.strokeRect(
          (patch % grid.cols) * cellWidth + 1,
          Math.floor(patch / grid.cols) * cellHeight + 1,
          cellWidth - 2,
          cellHeight - 2,
        );
    });
  };
  mapSelect.addEventListener('change', draw);
  showMask.addEventListener('change', draw);
  rollout.addEventListener('change', () => rerun(rollout.checked ? 'rollout' : 'mean'));
  draw();
  const kept = result.mask.filter((value) => value === 1).length;
  return element('article', { class: 'result' }, [
    element('h2', {}, [`Segmentation: ${kept} of ${result.mask.length} patches kept`]),
    element('div', { class: 'controls' }, [
      element('label', {}, ['Map ', mapSelect]),
      element('label', {}, [rollout, ' attention rollout (all layers)']),
      element('label', {}, [showMask, ' outline the mask']),
    ]),
    stage.root,
    warningList(result.warnings),
  ]);
}
