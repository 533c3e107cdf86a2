#!/usr/bin/env node
// Whether dist/ is the build of the sources beside it: missing, or older than any file under src/ or workers/
// (or the tsconfig files), it is stale. `node bin/check-build.js` exits 1 and says why; bin/reform.js and the
// demo scripts call it so that nobody runs yesterday's code by accident. An image holds dist/ without src/:
// nothing to compare, so it counts as built.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCES = ['src', 'workers', 'tsconfig.json', 'tsconfig.build.json'];

function newestUnder(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  let newest = { path, mtimeMs: 0 };
  for (const entry of readdirSync(path)) {
    const found = newestUnder(join(path, entry));
    if (found.mtimeMs > newest.mtimeMs) newest = found;
  }
  return newest;
}

/** null when dist/ is current, else a sentence saying why it is not. */
export function staleBuild(root) {
  const built = join(root, 'dist', 'workers', 'cli.js');
  if (!existsSync(built)) return 'the project is not built yet';
  if (!existsSync(join(root, 'src'))) return null;
  const builtAt = statSync(built).mtimeMs;
  for (const source of SOURCES) {
    const path = join(root, source);
    if (!existsSync(path)) continue;
    const newest = newestUnder(path);
    if (newest.mtimeMs > builtAt) return `dist/ is older than ${relative(root, newest.path)}`;
  }
  return null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const why = staleBuild(fileURLToPath(new URL('..', import.meta.url)));
  if (why) {
    console.error(`${why}: run \`npm run build\``);
    process.exit(1);
  }
}
