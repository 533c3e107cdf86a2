import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The modules a process can load, read from the code itself: every project module reachable from an entry and
// every package they name. `import type` and `export type` are erased: they load nothing.

const ROOT = resolve(import.meta.dirname, '../..');
const STATIC = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const WITH_DYNAMIC =
  /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * What `entry` (a path from the project's root) loads: at start only, or (`onFirstUse`) also what it imports
 * when first needed (`import()`).
 */
export function reachable(
  entry: string,
  { onFirstUse }: { onFirstUse: boolean },
): { files: Set<string>; packages: Set<string> } {
  const loads = onFirstUse ? WITH_DYNAMIC : STATIC;
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(loads)) {
      const spec = m[1] ?? m[2] ?? '';
      if (!spec) continue;
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
