// Checks an exported model folder in Node, for any architecture: every listed ONNX file loads in onnxruntime-node,
// runs on the given inputs, and its named outputs equal the PyTorch reference within a tolerance; the folder's
// tokenizer.json, loaded by @huggingface/tokenizers, encodes the given texts to the reference ids.
// Usage: node tools/model-zoo/check_outputs.mjs <model folder> <cases.json>
// cases.json (written by zoo/node_check.py): {tolerance, runs: [{file, inputs: {name: {type, dims, data}},
//   expected: {name: {dims, data}}}], tokenizer_cases: [{text, ids}]}
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const pnpmStore = path.join(repoRoot, "node_modules", ".pnpm");

function packageEntry(prefix, name) {
  const folder = readdirSync(pnpmStore).filter((entry) => entry.startsWith(prefix)).sort().pop();
  if (folder === undefined) throw new Error(`check_outputs: ${prefix}* not found under ${pnpmStore}`);
  const packageRoot = path.join(pnpmStore, folder, "node_modules", name);
  return createRequire(path.join(packageRoot, "package.json")).resolve(name);
}

const [modelFolder, casesFile] = process.argv.slice(2);
if (!modelFolder || !casesFile) {
  console.error("usage: node check_outputs.mjs <model folder> <cases.json>");
  process.exit(2);
}
const folder = path.resolve(modelFolder);
const spec = JSON.parse(readFileSync(casesFile, "utf8"));
const ort = createRequire(import.meta.url)(packageEntry("onnxruntime-node@", "onnxruntime-node"));

function toTensor({ type, dims, data }) {
  if (type === "int64") return new ort.Tensor("int64", BigInt64Array.from(data.map((value) => BigInt(value))), dims);
  if (type === "bool") return new ort.Tensor("bool", Uint8Array.from(data.map((value) => (value ? 1 : 0))), dims);
  return new ort.Tensor("float32", Float32Array.from(data), dims);
}

const sessions = new Map();
const runs = [];
let worst = 0;
for (const run of spec.runs) {
  if (!sessions.has(run.file)) sessions.set(run.file, await ort.InferenceSession.create(path.join(folder, run.file)));
  const session = sessions.get(run.file);
  const feeds = Object.fromEntries(Object.entries(run.inputs).map(([name, value]) => [name, toTensor(value)]));
  const outputs = await session.run(feeds);
  const differences = {};
  for (const [name, expected] of Object.entries(run.expected)) {
    const actual = outputs[name];
    if (actual === undefined) {
      differences[name] = `missing (outputs: ${session.outputNames.join(", ")})`;
      worst = Infinity;
      continue;
    }
    if (JSON.stringify(actual.dims) !== JSON.stringify(expected.dims)) {
      differences[name] = `dims ${JSON.stringify(actual.dims)}, expected ${JSON.stringify(expected.dims)}`;
      worst = Infinity;
      continue;
    }
    let maximum = 0;
    for (let index = 0; index < expected.data.length; index += 1) {
      maximum = Math.max(maximum, Math.abs(Number(actual.data[index]) - expected.data[index]));
    }
    differences[name] = maximum;
    worst = Math.max(worst, maximum);
  }
  runs.push({ file: run.file, inputs: session.inputNames, outputs: session.outputNames, max_abs_difference: differences });
}

let tokenizerMatches = null;
const mismatches = [];
if (spec.tokenizer_cases?.length) {
  const tokenizersModule = await import(pathToFileURL(packageEntry("@huggingface+tokenizers@", "@huggingface/tokenizers")).href);
  const Tokenizer = tokenizersModule.Tokenizer ?? tokenizersModule.default.Tokenizer;
  const tokenizer = new Tokenizer(
    JSON.parse(readFileSync(path.join(folder, "tokenizer.json"), "utf8")),
    JSON.parse(readFileSync(path.join(folder, "tokenizer_config.json"), "utf8")),
  );
  tokenizerMatches = 0;
  for (const item of spec.tokenizer_cases) {
    const ids = tokenizer.encode(item.text, item.pair === undefined ? {} : { text_pair: item.pair }).ids.map(Number);
    if (JSON.stringify(ids) === JSON.stringify(item.ids)) tokenizerMatches += 1;
    else mismatches.push({ text: item.text, js: ids, python: item.ids });
  }
}

const passed = worst <= spec.tolerance && (tokenizerMatches === null || tokenizerMatches === spec.tokenizer_cases.length);
console.log(
  JSON.stringify(
    {
      runs,
      max_abs_difference: worst === Infinity ? "mismatch" : worst,
      tolerance: spec.tolerance,
      tokenizer_ids_equal: tokenizerMatches === null ? null : `${tokenizerMatches}/${spec.tokenizer_cases.length}`,
      mismatches: mismatches.slice(0, 5),
      passed,
    },
    null,
    2,
  ),
);
process.exit(passed ? 0 : 1);
