import { describe, expect, it } from 'vitest';
import { reachable } from '../helpers/module-graph.js';

// The console shows each document as the parse pool drew it, read from the database: the ops process (console,
// operator pages, metrics) must not be able to open a sender's file at all. Checked on the code itself: every
// module the ops entry can load, statically or on first use, and every package they name.

// The libraries that open documents, and the parser's readers.
const READERS = ['mammoth', 'unpdf', 'word-extractor', 'cfb', 'saxes', '@napi-rs/canvas'];

describe('the ops process opens no sender file', () => {
  const ops = reachable('workers/ops.ts', { onFirstUse: true });

  it('loads none of the document readers, even on first use', () => {
    expect([...ops.files].filter((f) => f.startsWith('src/parser/'))).toEqual(['src/parser/parse-errors.ts']);
    expect(READERS.filter((p) => ops.packages.has(p))).toEqual([]);
  });

  it('is checked on a graph that does reach the readers from the parse pool', () => {
    // The same walk from the pool's child process finds them: the check above could fail.
    const parser = reachable('src/parser/parse-pool-worker.ts', { onFirstUse: true });
    expect(parser.files.has('src/parser/parse-form.ts')).toBe(true);
    expect(READERS.filter((p) => parser.packages.has(p))).toEqual(READERS);
  });
});
