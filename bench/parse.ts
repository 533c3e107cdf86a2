// Parser throughput next to bare mammoth.convertToHtml on the same .docx files, in one process:
// the median of several rounds of each, as forms per second. `npm run bench:parse`
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { parseForm } from '../src/parser/parse-form.js';
import { parseAgencyCsv } from '../src/registry/reference/data-files.js';

const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'forms');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.docx'))
  .map((f) => ({ name: f, bytes: readFileSync(join(dir, f)) }));
const registry = parseAgencyCsv(
  readFileSync(join(import.meta.dirname, '..', 'data', 'agencies-hanoi-2021.csv'), 'utf8'),
);
const options = {
  registry: registry.map(({ code, name, kind }) => ({ code, name, kind })),
  limits: { maxBytes: 20 * 1024 * 1024, maxUncompressedBytes: 100 * 1024 * 1024 },
};
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const PER_ROUND = Number(process.env.BENCH_REPEAT ?? 10);

async function round(fn: (f: (typeof files)[number]) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) for (const f of files) await fn(f);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (PER_ROUND * files.length) / seconds;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const bare = (f: (typeof files)[number]) => mammoth.convertToHtml({ buffer: f.bytes });
const parser = (f: (typeof files)[number]) => parseForm(f.bytes, f.name, options);
await round(bare); // warm up both
await round(parser);
const bareRuns: number[] = [];
const parserRuns: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  bareRuns.push(await round(bare));
  parserRuns.push(await round(parser));
}
const result = {
  files: files.length,
  rounds: ROUNDS,
  mammoth_forms_per_s: Math.round(median(bareRuns)),
  parser_forms_per_s: Math.round(median(parserRuns)),
  parser_cost_vs_mammoth: Number((median(bareRuns) / median(parserRuns)).toFixed(2)),
};
console.log(JSON.stringify(result));
