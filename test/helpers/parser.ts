import { readFileSync } from 'node:fs';
import type { ParseOptions } from '../../src/parser/parse-form.js';
import { parseAgencyCsv } from '../../src/registry/reference/data-files.js';
import { fixture } from './paths.js';

/** The 2021 registry as the parser takes it. */
export const registry2021 = parseAgencyCsv(readFileSync(fixture('agencies-hanoi-2021.csv'), 'utf8')).map(
  ({ code, name, kind }) => ({ code, name, kind }),
);

export const parserOptions: ParseOptions = {
  registry: registry2021,
  limits: { maxBytes: 20 * 1024 * 1024, maxUncompressedBytes: 100 * 1024 * 1024 },
};

/** The comparison the ground truth intends: all whitespace, newlines included, collapsed to one space. */
export function collapse<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim() as T;
  if (Array.isArray(value)) return value.map(collapse) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, collapse(v)])) as T;
  }
  return value;
}
