#!/usr/bin/env node
// The container health check: asks the process's own /healthz. `node bin/healthcheck.js KIND` (poller, parser,
// mailer, scheduler, ops); without KIND the kind is read from the container's command (PID 1, after docker-init
// with `init: true`). The ops process answers on HTTP_PORT, the others on METRICS_PORT. A one-shot command
// (`reform db migrate`) has nothing to ask and counts as healthy. Exit 0 healthy, 1 not.
import { readFileSync } from 'node:fs';

const KINDS = ['poller', 'parser', 'mailer', 'scheduler', 'ops'];

function kindFromCommand() {
  try {
    const command = readFileSync('/proc/1/cmdline', 'utf8').split('\0').join(' ');
    return command.match(/workers\/(poller|parser|mailer|scheduler|ops)\.js/)?.[1];
  } catch {
    return undefined;
  }
}

const kind = process.argv[2] ?? kindFromCommand();
if (!kind) process.exit(0);
if (!KINDS.includes(kind)) {
  console.error(`healthcheck: unknown process kind ${kind} (expected ${KINDS.join(', ')})`);
  process.exit(1);
}
const port = Number(kind === 'ops' ? (process.env.HTTP_PORT ?? 8080) : (process.env.METRICS_PORT ?? 0));
if (!port) {
  console.error(`healthcheck: METRICS_PORT is 0, so the ${kind} process serves no /healthz`);
  process.exit(1);
}
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  const body = await res.text();
  console.log(`${kind}: ${res.status} ${body.slice(0, 300)}`);
  process.exit(res.ok ? 0 : 1);
} catch (err) {
  console.error(
    `healthcheck: ${kind} on port ${port} did not answer: ${err instanceof Error ? err.message : err}`,
  );
  process.exit(1);
}
