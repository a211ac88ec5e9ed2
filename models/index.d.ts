/**
 * Absolute path of the folder holding the shipped models, one Hugging Face-layout folder each: this package's own,
 * or $ATTN_MODELS when it is set.
 *
 * @example
 * ```ts
 * import { modelsRoot } from '@attn/models';
 * // `${modelsRoot}mt-en-de/config.json`
 * ```
 */
export declare const modelsRoot: string;
