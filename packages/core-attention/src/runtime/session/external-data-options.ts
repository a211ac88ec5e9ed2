// Where a tapped model (written to the cache folder) finds the external data files of its original. onnxruntime 1.30
// refuses absolute `location`s, `..` and symbolic links that leave the model's folder (checked: "External data path
// escapes model directory"), so the session is pointed at the original folder through the session config entry
// `session.model_external_initializers_file_folder_path`; when the data files are symbolic links (the Hugging Face
// cache links snapshots to blobs) they are read and handed over as buffers instead.
import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { AttnError } from '../../errors/index.js';
import type { TappedModel } from '../taps/index.js';

/**
 * The session options that let `tapped` load its external data (none when it has no external data).
 *
 * @example
 * ```ts
 * await externalDataOptions(await tapModel('/models/big/onnx/model.onnx', { encoder_self: [0] }));
 * // { extra: { session: { model_external_initializers_file_folder_path: '/models/big/onnx' } } }
 * ```
 * @throws {AttnError} MODEL_FORMAT when a model tapped from bytes has external data (its folder is unknown), or an
 * external data file is missing.
 */
export async function externalDataOptions(
  tapped: TappedModel,
): Promise<InferenceSession.SessionOptions> {
  if (tapped.externalData.length === 0) return {};
  const folder = tapped.sourceFolder;
  if (folder === undefined) {
    throw new AttnError(
      'MODEL_FORMAT',
      `createSession(): the model bytes reference external data (${tapped.externalData.join(', ')}) but have no folder to find it in`,
      {
        fix: 'pass the path of the .onnx file instead of its bytes',
      },
    );
  }
  const realFolder = await realpath(folder);
  const files = await Promise.all(
    tapped.externalData.map(async (location) => {
      try {
        return { location, path: await realpath(join(folder, location)) };
      } catch (error) {
        throw new AttnError(
          'MODEL_FORMAT',
          `createSession(): external data file ${join(folder, location)} is missing`,
          {
            fix: 'keep the .onnx_data files beside the .onnx file they belong to',
            cause: error,
          },
        );
      }
    }),
  );
  if (files.every(({ location, path }) => path === join(realFolder, location))) {
    return { extra: { session: { model_external_initializers_file_folder_path: realFolder } } };
  }
  return {
    externalData: await Promise.all(
      files.map(async ({ location, path }) => ({ path: location, data: await readFile(path) })),
    ),
  };
}
