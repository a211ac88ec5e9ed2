// Detected objects: boxes over the image; hover or focus an object (in the list, or its box on the image) to see
// the attention map of the object query that found it.
import type { DetectResult } from '../../api/studio-api.js';
import { element, warningList } from '../dom.js';
import { imageStage } from './image-stage.js';

/**
 * The view of a detection on the uploaded image at `imageUrl`.
 *
 * @example
 * ```ts
 * resultSection.replaceChildren(detectView(result, URL.createObjectURL(file)));
 * ```
 */
export function detectView(result: DetectResult, imageUrl: string): HTMLElement {
  const { objects, grid } = result;
  const stage = imageStage(
    imageUrl,
    result.width,
    result.height,
    'the uploaded image with the detected objects',
  );
  let active = -1;
  const draw = (): void => {
    stage.clear();
    const object = objects[active];
    if (object !== undefined && object.attention.length === grid.rows * grid.cols)
      stage.heatmap(object.attention, grid.rows, grid.cols);
    objects.forEach(({ box }, index) => {
      const { context, scale } = stage;
      context.lineWidth = index === active ? 3 : 1.5;
      context.strokeStyle =
        index === active ? '#00e5ff' : active < 0 ? '#e8112d' : 'rgba(232, 17, 45, 0.4)';
      context.strokeRect(
        box.x0 * scale,
        box.y0 * scale,
        (box.x1 - box.x0) * scale,
        (box.y1 - box.y0) * scale,
      );
    });
  };
  const buttons = objects.map(({ label, score }, index) => {
    const button = element('button', { type: 'button', class: 'object', 'data-object': index }, [
      `${label} `,
      element('span', { class: 'weight' }, [score.toFixed(2)]),
    ]);
    const select = (): void => {
      active = index;
      buttons.forEach((other, otherIndex) =>
        other.setAttribute('aria-pressed', String(otherIndex === index)),
      );
      draw();
    };
    button.addEventListener('mouseenter', select);
    button.addEventListener('focus', select);
    return button;
  });
  // the smallest box under the pointer is the object meant
  stage.root.addEventListener('mousemove', (event) => {
    const bounds = stage.root.getBoundingClientRect();
    const x = ((event.clientX - bounds.left) / bounds.width) * result.width;
    const y = ((event.clientY - bounds.top) / bounds.height) * result.height;
    let best = -1;
    let bestArea = Infinity;
    objects.forEach(({ box }, index) => {
      const area = (box.x1 - box.x0) * (box.y1 - box.y0);
      if (x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1 && area < bestArea) {
        best = index;
        bestArea = area;
      }
    });
    if (best >= 0 && best !== active) buttons[best]!.dispatchEvent(new Event('mouseenter'));
  });
  draw();
  return element('article', { class: 'result' }, [
    element('h2', {}, [`${objects.length} object${objects.length === 1 ? '' : 's'} detected`]),
    element('p', { class: 'hint' }, [
      'Hover or focus an object to overlay the attention of the query that found it.',
    ]),
    element('div', { class: 'media' }, [
      stage.root,
      element(
        'div',
        { class: 'object-list', role: 'group', 'aria-label': 'Detected objects' },
        buttons,
      ),
    ]),
    warningList(result.warnings),
  ]);
}
