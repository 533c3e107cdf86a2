#!/usr/bin/env node
// Entry point of the `reform` command; runs the compiled CLI (built by `npm run build`, which `npm ci` runs).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/workers/cli.js', import.meta.url);
if (!existsSync(compiled)) {
  console.error('reform: the project is not built yet; run `npm run build` (or `npm ci`, which builds it)');
  process.exit(1);
}
await import(compiled.href);
