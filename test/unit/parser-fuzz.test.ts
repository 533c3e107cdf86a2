import { afterAll, describe, expect, it } from 'vitest';
import { createParserPool } from '../../src/parser/parser-pool.js';
import { type FuzzCase, fuzzCases, fuzzCorpus, runCase } from '../helpers/fuzz.js';

// A bounded, reproducible fuzz run for CI: the same seed and number of cases every time (about 30 s on one
// core), mutated forms (.docx, .doc, PDF, RTF, .odt, .xlsx), a winmail.dat, a .zip of files and whole mails
// (one carrying that .zip) through the parser pool, the archive reader and the mail
// reader. Longer runs with other seeds: `npm run fuzz -- --seconds N [--seed N]`.

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const CASES = Number(process.env.FUZZ_CASES ?? 500);

describe('fuzzed input', { timeout: 180_000 }, () => {
  const pool = createParserPool({ threads: 1, timeoutMs: 10_000 });
  afterAll(() => pool.close());

  it(`gives a form or a typed refusal for each of ${CASES} mutated files and mails (seed ${SEED})`, async () => {
    const findings: string[] = [];
    const seen = new Set<string>();
    const cases = fuzzCases(SEED, await fuzzCorpus());
    for (let i = 0; i < CASES; i++) {
      const c = cases.next().value as FuzzCase;
      seen.add(c.seed.kind);
      for (const problem of await runCase(c, pool)) {
        findings.push(`case ${c.index} (${c.seed.name}, ${c.mutation}): ${problem}`);
      }
    }
    expect(findings).toEqual([]);
    // Every kind of input was met: forms, a winmail.dat, whole mails and a zip archive as the intake opens it.
    expect([...seen].sort()).toEqual(['eml', 'file', 'tnef', 'zip']);
    expect(pool.stopped()).toEqual({ timeout: 0, memory: 0, crash: 0 });
  });
});
