// `attn segment`: object masks read off a vision transformer's attention (DINO's rule: the [CLS] token's
// attention to the patches, the patches holding 60% of its mass kept), shown as the map and the mask side by side.
import { h, htmlTable } from '@attn/core-attention';
import type { Segmentation } from '@attn/vision';
import type { Command, Invocation } from '../command.js';
import { defaultModels } from '../default-models.js';
import { flagOption, integerOption, numberOption } from '../input/option-values.js';
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

const name = 'segment';
const formats = ['png', 'html'] as const;

/**
 * `attn segment`.
 *
 * @example
 * ```ts
 * await runCli(['segment', 'scene.png', '--rollout'], io); // 0
 * ```
 */
export const segmentCommand: Command = {
  name,
  summary: "segment the objects of images from a vision transformer's attention",
  usage: ['attn segment <image...> [options]', 'attn segment < scene.png [options]'],
  description: [
    'Images come from the paths given, or stdin (path -).',
    "Each image is cut into the model's patches; the map is the last layer's attention from [CLS] to each patch\n" +
      '(heads averaged, or --rollout through every layer), and the mask keeps the patches that hold --mass of\n' +
      'it. Both are drawn side by side where the grid fits the terminal; --out dims the image outside the mask.',
  ],
  options: {
    mass: {
      type: 'string',
      value: '<share>',
      description: 'share of the attention the mask keeps, in (0, 1] (default 0.6)',
    },
    rollout: {
      type: 'boolean',
      description: 'combine every layer by attention rollout instead of the last layer',
    },
    'batch-size': { type: 'string', value: '<n>', description: 'images per model run (default 8)' },
    ...pipelineOptions(defaultModels.segment, formats),
  },
  json: [
    '{ command, model, files, results: [{ input, width, height, grid: { rows, cols }, keptPatches,',
    '  combinedMap, mask, warnings, maps?, attention? }] }',
    '  combinedMap and mask: grid.rows × grid.cols row-major (mask 1 = kept); maps: one per head',
  ],
  examples: ['attn segment scene.png', 'attn segment scene.png --rollout --out mask.png'],
  positionals: true,
  run: runSegment,
};

async function runSegment({ values, positionals, io }: Invocation): Promise<void> {
  const out = outTarget(name, values, formats);
  const mode = outputMode(name, values);
  const massFraction = numberOption(name, values, 'mass', 0, 1);
  const batchSize = integerOption(name, values, 'batch-size', 1) ?? 8;
  const source = modelSource(values, defaultModels.segment);
  const inputs = await readFileInputs(name, positionals, io, 'image');
  const { segment, segmentationOverlay, disposeVisionModels, encodePng, loadImage } =
    await import('@attn/vision');
  try {
    const results = await runInBatches(name, inputs, batchSize, io.stderr, (batch) =>
      segment(
        batch.map((entry) => entry.input),
        {
          ...source,
          massFraction,
          combine: flagOption(values, 'rollout') ? 'rollout' : 'mean',
          upsample: out !== undefined,
          signal: io.signal,
        },
      ),
    );
    const files = await renderToFiles(out, results.length, async (path, index, format) => {
      const segmentation = results[index] as Segmentation;
      const label = inputs[index]?.label ?? '';
      const overlay = segmentationOverlay(
        await loadImage(inputs[index]?.input ?? ''),
        segmentation,
      );
      const facts = htmlTable(
        ['image', 'patch grid', 'patches kept'],
        [
          [
            `${segmentation.width} x ${segmentation.height}`,
            `${segmentation.grid.rows} x ${segmentation.grid.cols}`,
            keptPatches(segmentation),
          ],
        ],
      );
      await writeImageFigure(
        format,
        path,
        await encodePng(overlay),
        `attn segment: ${label}`,
        h('div', {}, facts),
      );
    });
    if (mode.json) {
      printJson(io, {
        command: name,
        model: source.model,
        results: results.map((segmentation, index) => ({
          input: inputs[index]?.label,
          width: segmentation.width,
          height: segmentation.height,
          grid: segmentation.grid,
          keptPatches: keptPatches(segmentation),
          combinedMap: Array.from(segmentation.combinedMap),
          mask: Array.from(segmentation.masks.combined),
          warnings: segmentation.warnings,
          ...(mode.attentionMaps ? { maps: segmentation.maps.map((map) => Array.from(map)) } : {}),
          ...attentionJson(segmentation.attention, mode.attentionMaps),
        })),
        files,
      });
      return;
    }
    const style = terminalStyle(io.stdout, io.env);
    const width = io.stdout.columns ?? 80;
    const blocks = results.map((segmentation, index) => {
      const { rows, cols } = segmentation.grid;
      const kept = keptPatches(segmentation);
      const lines = [
        `${style.bold(inputs[index]?.label ?? '')}  ${segmentation.width} x ${segmentation.height}: the mask keeps ${kept} of ${rows * cols} patches (${Math.round((100 * kept) / (rows * cols))}%)`,
      ];
      if (rows <= 24 && 4 * cols + 10 <= width) {
        const map = shadeGrid(segmentation.combinedMap, rows, cols);
        const mask = shadeGrid(segmentation.masks.combined, rows, cols);
        lines.push(`  ${'attention'.padEnd(2 * cols + 2)}  mask`);
        lines.push(...map.map((line, row) => `  │${line}│  │${mask[row]}│`));
      } else {
        lines.push(
          `  the ${rows} x ${cols} patch grid is too wide for the terminal; --out draws it`,
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
        results.map((segmentation) => segmentation.warnings),
      ),
      files,
    );
  } finally {
    await disposeVisionModels();
  }
}

function keptPatches(segmentation: Segmentation): number {
  let kept = 0;
  for (const value of segmentation.masks.combined) kept += value;
  return kept;
}
