import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The console shows each document as the parse pool drew it, read from the database: the ops process (console,
// operator pages, metrics) must not be able to open a sender's file at all. Checked on the code itself: every
// module the ops entry can load, statically or on first use, and every package they name.

const ROOT = resolve(import.meta.dirname, '../..');
// `import type` and `export type` are erased: they load nothing.
const LOADS =
  /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(LOADS)) {
      const spec = m[1] ?? m[2] ?? '';
      if (!spec.startsWith('.')) {
        packages.add(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? ''),
        );
        continue;
      }
      const source = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (existsSync(source)) walk(source);
    }
  };
  walk(join(ROOT, entry));
  return { files: new Set([...files].map((f) => relative(ROOT, f))), packages };
}

// The libraries that open documents, and the parser's readers.
const READERS = ['mammoth', 'unpdf', 'word-extractor', 'cfb', 'saxes', '@napi-rs/canvas'];

describe('the ops process opens no sender file', () => {
  const ops = reachable('workers/ops.ts');

  it('loads none of the document readers, even on first use', () => {
    expect([...ops.files].filter((f) => f.startsWith('src/parser/'))).toEqual(['src/parser/parse-errors.ts']);
    expect(READERS.filter((p) => ops.packages.has(p))).toEqual([]);
  });

  it('is checked on a graph that does reach the readers from the parse pool', () => {
    // The same walk from the pool's child process finds them: the check above could fail.
    const parser = reachable('src/parser/parse-pool-worker.ts');
    expect(parser.files.has('src/parser/parse-form.ts')).toBe(true);
    expect(READERS.filter((p) => parser.packages.has(p))).toEqual(READERS);
  });
});
