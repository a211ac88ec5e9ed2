// --model through the CLI: an unknown shipped model, a default model not shipped yet, and a hub id with downloads
// forbidden (--offline, HF_HUB_OFFLINE=1) — each with its exit code and a message saying where to look.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { modelsRoot } from '@attn/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModels } from './default-models.js';
import { cliInputs, type CliInputs } from './testing/cli-inputs.js';
import { runAttn } from './testing/run-attn.js';

/** A command whose default model is not shipped yet (the zoo is still training most of them), if any. */
const missingDefault = Object.entries(defaultModels).find(
  ([, model]) => !existsSync(join(modelsRoot, model.slice('attn/'.length))),
);
let inputs: CliInputs;
beforeAll(async () => {
  inputs = await cliInputs();
});
afterAll(() => inputs.remove());

describe.concurrent('models that cannot be loaded', () => {
  it('an unknown shipped model exits 4, naming it, the models there are and how to list them', async () => {
    const { code, stderr } = await runAttn(
      ['translate', 'A dog.', '--model', 'attn/no-such-model'],
      { env: inputs.env },
    );
    expect(code).toBe(4);
    expect(stderr).toContain("no shipped model 'attn/no-such-model'");
    expect(stderr).toContain('attn/mt-en-de');
    expect(stderr).toContain("hint: 'attn models' lists the installed models");
  });

  it.skipIf(missingDefault === undefined)(
    'a missing default model says which, where it was looked for and how to get it',
    async () => {
      const [command, model] = missingDefault!;
      const commandLines: Record<string, string[]> = {
        summarize: ['A man rides a bike.'],
        ask: ['Who rides?', '--context', 'A man rides a bike.'],
        chat: ['Hi there.'],
        detect: [inputs.scene],
        segment: [inputs.scene],
        transcribe: [inputs.wav],
      };
      const { code, stderr } = await runAttn([command, ...commandLines[command]!], {
        env: inputs.env,
      });
      expect(code).toBe(4);
      expect(stderr).toContain(`no shipped model '${model}' in ${modelsRoot}`);
      expect(stderr).toContain('tools/model-zoo');
      expect(stderr).toContain('--model');
    },
  );

  it('a hub id that is not cached exits 9 with --offline and with HF_HUB_OFFLINE=1', async () => {
    const [flag, variable] = await Promise.all([
      runAttn(['translate', 'A dog.', '--model', 'someone/some-model', '--offline'], {
        env: inputs.env,
      }),
      runAttn(['translate', 'A dog.', '--model', 'someone/some-model'], {
        env: { ...inputs.env, HF_HUB_OFFLINE: '1' },
      }),
    ]);
    for (const run of [flag, variable]) {
      expect(run.code).toBe(9);
      expect(run.stderr).toContain('someone/some-model');
      expect(run.stderr).toContain('(OFFLINE, exit code 9)');
    }
  });
});
