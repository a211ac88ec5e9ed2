// Checks an exported encoder–decoder folder in Node: onnxruntime-node greedy decoding with the KV cache (the plain
// merged decoder, or Optimum's If-merged decoder with the cross-attention cache) must give
// the same ids as the PyTorch reference, @huggingface/tokenizers must reproduce the SentencePiece ids, and the
// transformers.js translation pipeline must load the folder and produce the reference text.
// Usage: node tools/model-zoo/verify_onnx.mjs <model folder> <cases.json> [--no-pipeline]
// cases.json (written by zoo/verify.py): {start_id, eos_id, pad_id, layers, heads, head_dim,
//   cases: [{text, input_ids, greedy_ids, first_logits?}]}
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const pnpmStore = path.join(repoRoot, "node_modules", ".pnpm");

function packageEntry(prefix, name) {
  const folder = readdirSync(pnpmStore).filter((entry) => entry.startsWith(prefix)).sort().pop();
  if (folder === undefined) throw new Error(`verify_onnx: ${prefix}* not found under ${pnpmStore}`);
  const packageRoot = path.join(pnpmStore, folder, "node_modules", name);
  return createRequire(path.join(packageRoot, "package.json")).resolve(name);
}

const [modelFolder, casesFile, ...flags] = process.argv.slice(2);
if (!modelFolder || !casesFile) {
  console.error("usage: node verify_onnx.mjs <model folder> <cases.json> [--no-pipeline]");
  process.exit(2);
}
const folder = path.resolve(modelFolder);
const spec = JSON.parse(readFileSync(casesFile, "utf8"));
const ort = createRequire(import.meta.url)(packageEntry("onnxruntime-node@", "onnxruntime-node"));
const tokenizersModule = await import(pathToFileURL(packageEntry("@huggingface+tokenizers@", "@huggingface/tokenizers")).href);
const Tokenizer = tokenizersModule.Tokenizer ?? tokenizersModule.default.Tokenizer;

const encoder = await ort.InferenceSession.create(path.join(folder, "onnx", "encoder_model.onnx"));
const decoder = await ort.InferenceSession.create(path.join(folder, "onnx", "decoder_model_merged.onnx"));
// Optimum's merged decoder with the cross-attention cache (If on use_cache_branch), or one plain graph.
const crossCache = decoder.inputNames.includes("use_cache_branch");
const int64 = (values, dims) => new ort.Tensor("int64", BigInt64Array.from(values.map(BigInt)), dims);

async function greedy(inputIds, maxNewTokens) {
  const length = inputIds.length;
  const { last_hidden_state: hidden } = await encoder.run({
    input_ids: int64(inputIds, [1, length]),
    attention_mask: int64(new Array(length).fill(1), [1, length]),
  });
  const feeds = { encoder_hidden_states: hidden, encoder_attention_mask: int64(new Array(length).fill(1), [1, length]) };
  const empty = () => new ort.Tensor("float32", new Float32Array(0), [1, spec.heads, 0, spec.head_dim]);
  for (let layer = 0; layer < spec.layers; layer += 1) {
    for (const part of ["key", "value"]) {
      feeds[`past_key_values.${layer}.decoder.${part}`] = empty();
      if (crossCache) feeds[`past_key_values.${layer}.encoder.${part}`] = empty();
    }
  }
  if (crossCache) feeds.use_cache_branch = new ort.Tensor("bool", Uint8Array.from([0]), [1]);
  let token = spec.start_id;
  const ids = [];
  let firstLogits;
  for (let step = 0; step < maxNewTokens; step += 1) {
    const outputs = await decoder.run({ ...feeds, input_ids: int64([token], [1, 1]) });
    const logits = outputs.logits.data;
    if (step === 0) firstLogits = Float32Array.from(logits);
    let best = -1;
    let bestValue = -Infinity;
    for (let index = 0; index < logits.length; index += 1) {
      if (index !== spec.pad_id && logits[index] > bestValue) {
        bestValue = logits[index];
        best = index;
      }
    }
    token = step === maxNewTokens - 1 ? spec.eos_id : best;
    ids.push(token);
    if (token === spec.eos_id) break;
    for (let layer = 0; layer < spec.layers; layer += 1) {
      for (const part of ["key", "value"]) {
        feeds[`past_key_values.${layer}.decoder.${part}`] = outputs[`present.${layer}.decoder.${part}`];
        if (crossCache) feeds[`past_key_values.${layer}.encoder.${part}`] = outputs[`present.${layer}.encoder.${part}`];
      }
    }
    if (crossCache) feeds.use_cache_branch = new ort.Tensor("bool", Uint8Array.from([1]), [1]);
  }
  return { ids, firstLogits };
}

const tokenizer = new Tokenizer(
  JSON.parse(readFileSync(path.join(folder, "tokenizer.json"), "utf8")),
  JSON.parse(readFileSync(path.join(folder, "tokenizer_config.json"), "utf8")),
);

let idMatches = 0;
let tokenizerMatches = 0;
let decodeMatches = 0;
let maxLogitDifference = 0;
const mismatches = [];
for (const item of spec.cases) {
  const encoded = tokenizer.encode(item.text).ids.map(Number);
  if (JSON.stringify(encoded) === JSON.stringify(item.input_ids)) tokenizerMatches += 1;
  else mismatches.push({ kind: "tokenizer", text: item.text, js: encoded, python: item.input_ids });
  const maxNew = Math.min(256, item.input_ids.length * 2 + 10);
  const { ids, firstLogits } = await greedy(item.input_ids, maxNew);
  if (JSON.stringify(ids) === JSON.stringify(item.greedy_ids)) idMatches += 1;
  else mismatches.push({ kind: "greedy", text: item.text, onnx: ids, torch: item.greedy_ids });
  if (item.first_logits) {
    for (let index = 0; index < item.first_logits.length; index += 1) {
      maxLogitDifference = Math.max(maxLogitDifference, Math.abs(item.first_logits[index] - firstLogits[index]));
    }
  }
  const decoded = tokenizer.decode(ids, { skip_special_tokens: true });
  if (decoded === item.greedy_text) decodeMatches += 1;
  else mismatches.push({ kind: "decode", js: decoded, python: item.greedy_text });
}

let pipelineMatches = null;
if (!flags.includes("--no-pipeline")) {
  const transformersModule = await import(pathToFileURL(packageEntry("@huggingface+transformers@", "@huggingface/transformers")).href);
  const transformers = transformersModule.pipeline ? transformersModule : transformersModule.default;
  transformers.env.allowRemoteModels = false;
  const translator = await transformers.pipeline("translation", folder, { dtype: "fp32" });
  pipelineMatches = 0;
  const sample = spec.cases.slice(0, 5);
  for (const item of sample) {
    const [result] = await translator(item.text);
    if (result.translation_text === item.greedy_text) pipelineMatches += 1;
    else mismatches.push({ kind: "pipeline", js: result.translation_text, python: item.greedy_text });
  }
  pipelineMatches = `${pipelineMatches}/${sample.length}`;
}

const report = {
  cases: spec.cases.length,
  greedy_ids_equal: idMatches,
  tokenizer_ids_equal: tokenizerMatches,
  decoded_text_equal: decodeMatches,
  first_step_max_abs_logit_difference: maxLogitDifference,
  transformers_js_pipeline_equal: pipelineMatches,
  mismatches: mismatches.slice(0, 5),
};
console.log(JSON.stringify(report, null, 2));
process.exit(idMatches === spec.cases.length && tokenizerMatches === spec.cases.length ? 0 : 1);
