// --model through the CLI: an unknown shipped model, a default model missing (ATTN_MODELS at an empty folder), and a hub id with downloads
// forbidden (--offline, HF_HUB_OFFLINE=1) — each with its exit code and a message saying where to look.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInputs, type CliInputs } from './testing/cli-inputs.js';
import { runAttn } from './testing/run-attn.js';

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

  it('a missing default model says which, where it was looked for and how to get it', async () => {
    // ATTN_MODELS points the shipped-model lookup at an empty folder: no default model is there
    const empty = await mkdtemp(join(tmpdir(), 'attn-no-models-'));
    try {
      const { code, stderr } = await runAttn(['detect', inputs.scene], {
        env: { ...inputs.env, ATTN_MODELS: empty },
      });
      expect(code).toBe(4);
      expect(stderr).toContain(`no shipped model 'attn/detr-shapes' in ${empty}`);
      expect(stderr).toContain('tools/model-zoo/train.py detr-shapes');
      expect(stderr).toContain('--model');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

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
