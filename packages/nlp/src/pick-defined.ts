// Copying only the options a caller set, so that unset ones fall back to the model's defaults.

/**
 * The entries of `options` named in `keys` whose value is not undefined.
 *
 * @example
 * ```ts
 * pickDefined({ numBeams: 4, topK: undefined, seed: 1 }, ['numBeams', 'topK']); // { numBeams: 4 }
 * ```
 */
export function pickDefined<Options extends object, Key extends keyof Options>(
  options: Options,
  keys: readonly Key[],
): Partial<Pick<Options, Key>> {
  const picked: Partial<Pick<Options, Key>> = {};
  for (const key of keys) if (options[key] !== undefined) picked[key] = options[key];
  return picked;
}
