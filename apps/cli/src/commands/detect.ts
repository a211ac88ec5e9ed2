// `attn detect`: objects in images (DETR), each with its box, label, score and the cross-attention map of the
// object query that found it — shown as the spot it attended to most and, where it fits, as a shaded grid.
import { h, htmlTable } from '@attn/core-attention';
import type { DetectedObject, Detection } from '@attn/vision';
import type { Command, Invocation } from '../command.js';
import { defaultModels } from '../default-models.js';
import { integerOption, numberOption } from '../input/option-values.js';
import { readFileInputs } from '../input/read-file-inputs.js';
import { modelSource } from '../model-source.js';
import { attentionJson } from '../output/attention-json.js';
import { inputWarnings, outputMode, printJson, printNotes } from '../output/command-output.js';
import { outTarget, renderToFiles } from '../output/out-target.js';
import { writeImageFigure } from '../output/write-image-figure.js';
import { pipelineOptions } from '../pipeline-options.js';
import { runInBatches } from '../run-in-batches.js';
import { shadeGrid } from '../terminal/shade-grid.js';
import { terminalStyle } from '../terminal/terminal-style.js';

const name = 'detect';
const formats = ['png', 'html'] as const;

/**
 * `attn detect`.
 *
 * @example
 * ```ts
 * await runCli(['detect', 'scene.png', '--out', 'scene-attention.png'], io); // 0
 * ```
 */
export const detectCommand: Command = {
  name,
  summary: 'find objects in images, with the attention map behind each one',
  usage: ['attn detect <image...> [options]', 'attn detect < scene.png [options]'],
  description: [
    'Images come from the paths given (any format sharp reads: PNG, JPEG, WebP, …), or stdin (path -).',
    'Each object is listed with its label, score and box in pixels, then the point its query attended to\n' +
      "most (decoder cross-attention over the image's feature cells, heads averaged) and, on a small grid, the\n" +
      'map itself. --out draws the maps over the image with the boxes on top.',
  ],
  options: {
    threshold: {
      type: 'string',
      value: '<p>',
      description: 'keep objects scoring at least this, in [0, 1] (default 0.5)',
    },
    'top-k': {
      type: 'string',
      value: '<n>',
      description: 'keep at most this many objects per image',
    },
    'batch-size': { type: 'string', value: '<n>', description: 'images per model run (default 8)' },
    ...pipelineOptions(defaultModels.detect, formats),
  },
  json: [
    '{ command, model, files, results: [{ input, width, height, grid: { rows, cols },',
    '  objects: [{ label, labelId, score, box: { x0, y0, x1, y1 }, query, peak: { x, y }, map? }],',
    "  warnings, attention? }] }   map (with --attention-maps): the object's grid.rows × grid.cols weights",
  ],
  examples: [
    'attn detect scene.png',
    'attn detect photos/*.jpg --threshold 0.7 --json',
    'attn detect scene.png --out scene-attention.png',
  ],
  positionals: true,
  run: runDetect,
};

async function runDetect({ values, positionals, io }: Invocation): Promise<void> {
  const out = outTarget(name, values, formats);
  const mode = outputMode(name, values);
  const threshold = numberOption(name, values, 'threshold', 0, 1);
  const topK = integerOption(name, values, 'top-k', 1);
  const batchSize = integerOption(name, values, 'batch-size', 1) ?? 8;
  const source = modelSource(values, defaultModels.detect);
  const inputs = await readFileInputs(name, positionals, io, 'image');
  const { detect, detectionOverlay, disposeVisionModels, encodePng, loadImage } =
    await import('@attn/vision');
  try {
    const results = await runInBatches(name, inputs, batchSize, io.stderr, (batch) =>
      detect(
        batch.map((entry) => entry.input),
        { ...source, threshold, topK, signal: io.signal },
      ),
    );
    const files = await renderToFiles(out, results.length, async (path, index, format) => {
      const detection = results[index] as Detection;
      const label = inputs[index]?.label ?? '';
      const overlay = await detectionOverlay(
        await loadImage(inputs[index]?.input ?? ''),
        detection,
      );
      const table = htmlTable(
        ['label', 'score', 'box (x0, y0, x1, y1)'],
        detection.objects.map((object) => [object.label, object.score.toFixed(3), boxText(object)]),
        { caption: `${detection.objects.length} objects; each map is its query's cross-attention` },
      );
      await writeImageFigure(
        format,
        path,
        await encodePng(overlay),
        `attn detect: ${label}`,
        h('div', {}, table),
      );
    });
    if (mode.json) {
      printJson(io, {
        command: name,
        model: source.model,
        results: results.map((detection, index) => ({
          input: inputs[index]?.label,
          width: detection.width,
          height: detection.height,
          grid: detection.grid,
          objects: detection.objects.map((object) => ({
            label: object.label,
            labelId: object.labelId,
            score: object.score,
            box: object.box,
            query: object.query,
            peak: peak(object, detection),
            ...(mode.attentionMaps && object.attention !== undefined
              ? { map: Array.from(object.attention) }
              : {}),
          })),
          warnings: detection.warnings,
          ...attentionJson(detection.attention, mode.attentionMaps),
        })),
        files,
      });
      return;
    }
    const style = terminalStyle(io.stdout, io.env);
    const width = io.stdout.columns ?? 80;
    const blocks = results.map((detection, index) => {
      const { rows, cols } = detection.grid;
      const lines = [
        `${style.bold(inputs[index]?.label ?? '')}  ${detection.width} x ${detection.height}, ${detection.objects.length} object${detection.objects.length === 1 ? '' : 's'}`,
      ];
      for (const object of detection.objects) {
        const spot = peak(object, detection);
        lines.push(
          `  ${object.label.padEnd(12)} ${object.score.toFixed(2)}  box ${boxText(object)}` +
            (spot === undefined ? '' : `  attended most to (${spot.x}, ${spot.y})`),
        );
        // the map where it fits: a few rows, two characters per cell
        if (object.attention !== undefined && rows <= 12 && 2 * cols + 4 <= width)
          lines.push(
            ...shadeGrid(object.attention, rows, cols).map(
              (line) => `    ${style.dim('│')}${line}${style.dim('│')}`,
            ),
          );
      }
      return lines.join('\n');
    });
    io.stdout.write(`${blocks.join('\n\n')}\n`);
    printNotes(
      io,
      name,
      inputWarnings(
        inputs.map((input) => input.label),
        results.map((detection) => detection.warnings),
      ),
      files,
    );
  } finally {
    await disposeVisionModels();
  }
}

function boxText({ box }: DetectedObject): string {
  return `(${Math.round(box.x0)}, ${Math.round(box.y0)}, ${Math.round(box.x1)}, ${Math.round(box.y1)})`;
}

/** The image pixel at the centre of the feature cell the object's query attended to most. */
function peak(object: DetectedObject, detection: Detection): { x: number; y: number } | undefined {
  const map = object.attention;
  const { rows, cols } = detection.grid;
  if (map === undefined || map.length === 0) return undefined;
  let best = 0;
  for (let cell = 1; cell < map.length; cell++)
    if ((map[cell] as number) > (map[best] as number)) best = cell;
  return {
    x: Math.round(((best % cols) + 0.5) * (detection.width / cols)),
    y: Math.round((Math.floor(best / cols) + 0.5) * (detection.height / rows)),
  };
}
