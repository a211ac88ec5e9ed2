// `node tools/eval/check-gold.mjs`: checks the hand-aligned gold set in data/ against the Multi30k text it indexes
// (line numbers, word counts, link positions, duplicates) and prints its statistics. Format: data/README.md.
import console from 'node:console';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(here, '..', '..');
const dataRoot = process.env['ATTN_DATA'] ?? join(repositoryRoot, '..', 'shared', 'data');
const goldPath = join(here, 'data', 'multi30k-test2016-en-de.gold.tsv');
const selectionStride = 16;
const selectionSize = 60;

function readLines(relativePath) {
  const lines = gunzipSync(readFileSync(join(dataRoot, relativePath)))
    .toString('utf8')
    .split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

// Words exactly as attn's alignments count them (splitWords in @attn/nlp).
function countWords(text) {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

const englishLines = readLines('multi30k/task1/test_2016_flickr.en.gz');
const germanLines = readLines('multi30k/task1/test_2016_flickr.de.gz');
const problems = [];
const seenLineNumbers = new Set();
let sureCount = 0;
let possibleCount = 0;

const rows = readFileSync(goldPath, 'utf8')
  .split('\n')
  .map((text, index) => ({ text, fileLine: index + 1 }))
  .filter(({ text }) => text.trim() !== '' && !text.startsWith('#'));

for (const { text, fileLine } of rows) {
  const where = `gold line ${fileLine}`;
  const fields = text.split('\t');
  if (fields.length !== 4) {
    problems.push(`${where}: expected 4 tab-separated fields, got ${fields.length}`);
    continue;
  }
  const [lineField, englishField, germanField, linksField] = fields;
  const lineNumber = Number(lineField);
  const english = englishLines[lineNumber];
  const german = germanLines[lineNumber];
  if (!Number.isInteger(lineNumber) || english === undefined || german === undefined) {
    problems.push(`${where}: line number '${lineField}' is not a line of both data files`);
    continue;
  }
  if (seenLineNumbers.has(lineNumber)) problems.push(`${where}: line ${lineNumber} appears twice`);
  seenLineNumbers.add(lineNumber);
  const englishWords = countWords(english);
  const germanWords = countWords(german);
  if (Number(englishField) !== englishWords)
    problems.push(`${where}: ${englishField} English words recorded, the data has ${englishWords}`);
  if (Number(germanField) !== germanWords)
    problems.push(`${where}: ${germanField} German words recorded, the data has ${germanWords}`);

  // A link is one (source, target) pair whether written sure or possible: listing it twice is an error.
  const seenLinks = new Set();
  for (const token of linksField.split(' ').filter((part) => part !== '')) {
    const match = /^(\d+)([-?])(\d+)$/.exec(token);
    if (match === null) {
      problems.push(`${where}: link '${token}' is not s-t or s?t`);
      continue;
    }
    const source = Number(match[1]);
    const target = Number(match[3]);
    if (source >= englishWords)
      problems.push(`${where}: link '${token}' source beyond ${englishWords} English words`);
    if (target >= germanWords)
      problems.push(`${where}: link '${token}' target beyond ${germanWords} German words`);
    const key = `${source},${target}`;
    if (seenLinks.has(key)) problems.push(`${where}: link ${source}/${target} listed twice`);
    seenLinks.add(key);
    if (match[2] === '-') sureCount += 1;
    else possibleCount += 1;
  }
}

// The documented selection: every 16th line from 0, none skipped.
const expected = Array.from({ length: selectionSize }, (_, index) => index * selectionStride);
const missing = expected.filter((lineNumber) => !seenLineNumbers.has(lineNumber));
const extra = [...seenLineNumbers].filter((lineNumber) => !expected.includes(lineNumber));
if (missing.length > 0) problems.push(`selection: lines ${missing.join(', ')} are missing`);
if (extra.length > 0) problems.push(`selection: lines ${extra.join(', ')} are not in the rule`);

const pairs = rows.length;
console.log(`gold set   ${goldPath}`);
console.log(`data       ${dataRoot}`);
console.log(`pairs      ${pairs}`);
console.log(`sure       ${sureCount}`);
console.log(`possible   ${possibleCount} (written with ?, beyond the sure links)`);
console.log(`per pair   ${((sureCount + possibleCount) / pairs).toFixed(2)} links`);
console.log(
  `           ${(sureCount / pairs).toFixed(2)} sure, ${(possibleCount / pairs).toFixed(2)} possible`,
);
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error(`${problems.length} problem(s)`);
  process.exitCode = 1;
} else {
  console.log('ok         every line number, word count and link position matches the data');
}
