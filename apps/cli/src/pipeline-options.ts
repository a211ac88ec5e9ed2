// The options every pipeline command shares: which model (--model, --dtype, --offline) and what is written
// (--json, --attention-maps, --out).
import type { CommandOption } from './command.js';
import type { OutputFormat } from './output/out-target.js';

/**
 * The shared options of a command whose default model is `defaultModel` and that renders `formats` with --out.
 *
 * @example
 * ```ts
 * Object.keys(pipelineOptions('attn/mt-en-de', ['svg', 'png', 'html']));
 * // ['model', 'dtype', 'offline', 'json', 'attention-maps', 'out']
 * ```
 * @throws never.
 */
export function pipelineOptions(
  defaultModel: string,
  formats: readonly OutputFormat[],
): Record<string, CommandOption> {
  return {
    model: {
      type: 'string',
      short: 'm',
      value: '<id>',
      description: `attn/<name>, a model folder or a Hugging Face hub id (default ${defaultModel})`,
    },
    dtype: {
      type: 'string',
      value: '<dtype>',
      description: 'ONNX variant: fp32 (default), fp16, q8, int8, uint8, q4, q4f16, bnb4',
    },
    offline: {
      type: 'boolean',
      description:
        'never download: shipped models, folders and the hub cache only (as HF_HUB_OFFLINE=1)',
    },
    json: { type: 'boolean', description: 'print the results as JSON (errors as JSON on stderr)' },
    'attention-maps': {
      type: 'boolean',
      description: 'with --json: add the raw attention [layer, head, query, key] with its labels',
    },
    out: {
      type: 'string',
      short: 'o',
      value: '<file>',
      description: `also render to ${formats.map((format) => `.${format}`).join(', ')} (several results: file-1.png, file-2.png, …)`,
    },
  };
}
