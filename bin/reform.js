#!/usr/bin/env node
// Entry point of the `reform` command; runs the compiled CLI (built by `npm run build`). A missing or stale
// build (sources changed since) is refused rather than run: yesterday's code must not answer today's command.
import { fileURLToPath } from 'node:url';
import { staleBuild } from './check-build.js';

const why = staleBuild(fileURLToPath(new URL('..', import.meta.url)));
if (why) {
  console.error(`reform: ${why}; run \`npm run build\` first`);
  process.exit(1);
}
await import(new URL('../dist/workers/cli.js', import.meta.url).href);
