// Longer fuzzing runs than CI's: `npm run fuzz -- --seconds 600 [--seed N] [--threads N] [--out DIR]`.
// Every finding is written to DIR (test/artifacts/fuzz by default) as the case's bytes and a note of what went
// wrong, to become a fixture and a fix; the run ends with a JSON summary and exit status 1 if anything was found.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createParserPool } from '../src/parser/parser-pool.js';
import { fuzzCases, fuzzCorpus, runCase } from '../test/helpers/fuzz.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    threads: { type: 'string', default: '1' },
    out: { type: 'string', default: join(import.meta.dirname, '..', 'test', 'artifacts', 'fuzz') },
    'timeout-ms': { type: 'string', default: '10000' },
  },
});
const seconds = Number(values.seconds);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const threads = Math.max(1, Number(values.threads));
const pool = createParserPool({ threads, timeoutMs: Number(values['timeout-ms']) });
const cases = fuzzCases(seed, await fuzzCorpus());
const deadline = Date.now() + seconds * 1000;
let run = 0;
const findings: { index: number; seed: string; mutation: string; problems: string[]; file: string }[] = [];

async function lane(): Promise<void> {
  while (Date.now() < deadline) {
    const c = cases.next().value;
    if (!c) return;
    const problems = await runCase(c, pool);
    run++;
    if (problems.length === 0) continue;
    mkdirSync(values.out, { recursive: true });
    const file = join(values.out, `seed${seed}-case${c.index}-${c.seed.name}`);
    writeFileSync(file, c.bytes);
    writeFileSync(`${file}.txt`, `${c.mutation}\n${problems.join('\n')}\n`);
    findings.push({ index: c.index, seed: c.seed.name, mutation: c.mutation, problems, file });
    process.stderr.write(
      `finding: case ${c.index} (${c.seed.name}, ${c.mutation}): ${problems.join('; ')}\n`,
    );
  }
}

try {
  await Promise.all(Array.from({ length: threads }, lane));
} finally {
  await pool.close();
}
process.stdout.write(`${JSON.stringify({ seed, seconds, cases: run, findings })}\n`);
process.exitCode = findings.length > 0 ? 1 : 0;
