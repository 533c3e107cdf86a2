// Recovery under load: the real poller, parser and mailer processes (built dist/) on services of the bench's own
// (scripts/services.sh in a folder and on ports apart from the shared ones), mail arriving at a steady rate, and
// one fault at a time: the parser and the mailer SIGKILLed (and started again at once, as a supervisor would),
// Redis restarted empty, PostgreSQL restarted, the poller's IMAP connection cut. For each fault it measures the
// time from the fault until every mail delivered so far is handled (stored, parsed, its acknowledgement sent),
// and checks that nothing was lost or doubled. Prints one JSON line.
//   npm run bench:recovery     BENCH_RATE=10 messages/s, BENCH_ROUNDS=2 per fault, BENCH_FAULTS=worker_kill,...
//                              BENCH_LOG_DIR=DIR keeps the processes' logs
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { sql } from 'kysely';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { workerNodeFlags } from '../src/ops/worker-flags.js';
import { parseAgencyCsv } from '../src/registry/reference/data-files.js';
import { importAgencyRegistry, loadCampaignFile } from '../src/registry/reference/registry-files.js';
import { benchMessage, registrationForms } from './bench-mail.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const RATE = Number(process.env.BENCH_RATE ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const FAULTS = (process.env.BENCH_FAULTS ?? 'worker_kill,redis_restart,postgres_restart,imap_cut').split(',');
const HANDLED_TIMEOUT_MS = 120_000;

// The bench's own services, apart from the shared ones, so that it may stop and start them.
const dir = mkdtempSync('/var/tmp/reform-recovery-bench-');
const ports = { pg: 54379, redis: 6397, imap: 1150, smtp: 2532 };
const servicesEnv = {
  ...process.env,
  REFORM_DATA_DIR: dir,
  REFORM_PG_PORT: String(ports.pg),
  REFORM_REDIS_PORT: String(ports.redis),
  REFORM_IMAP_PORT: String(ports.imap),
  REFORM_SMTP_PORT: String(ports.smtp),
};
const services = (command: 'up' | 'down', ...names: string[]) =>
  run('bash', [join(root, 'scripts/services.sh'), command, ...names], { env: servicesEnv });
const pidOf = (file: string) => Number(readFileSync(join(dir, file), 'utf8').split('\n')[0]);
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function stopService(file: string, signal: NodeJS.Signals): Promise<void> {
  const pid = pidOf(file);
  process.kill(pid, signal);
  while (alive(pid)) await sleep(20);
}

await services('up');
if (!existsSync(join(root, 'dist/workers/poller.js')))
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });

const databaseUrl = `postgres://reform@127.0.0.1:${ports.pg}/reform`;
const db = createDatabase(databaseUrl, 2);
await migrateToLatest(db);
await loadCampaignFile(db, join(root, 'data/campaign-hanoi-2021.yaml'));
await importAgencyRegistry(db, join(root, 'data/agencies-hanoi-2021.csv'));
const user = 'recovery_bench';
appendFileSync(join(dir, 'dovecot/users'), `${user}:{PLAIN}bench\n`);

const prefix = 'recovery';
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  DATABASE_URL: databaseUrl,
  REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
  QUEUE_PREFIX: prefix,
  IMAP_PORT: String(ports.imap),
  IMAP_USER: user,
  IMAP_PASSWORD: 'bench',
  SMTP_PORT: String(ports.smtp),
  LOG_LEVEL: process.env.BENCH_LOG_DIR ? 'info' : 'warn',
  LOG_PRETTY: 'false',
  // The registry's few dozen addresses send every mail: each one is answered.
  ACK_MAX_PER_SENDER_PER_HOUR: '1000000',
};

const forms = registrationForms(root);
const senders = parseAgencyCsv(readFileSync(join(root, 'data/agencies-hanoi-2021.csv'), 'utf8')).flatMap(
  (a) => a.emails,
);

const processes: Record<string, ChildProcess> = {};
function start(name: 'poller' | 'parser' | 'mailer'): void {
  const logDir = process.env.BENCH_LOG_DIR;
  const logTo = logDir ? openSync(join(logDir, `${name}.log`), 'a') : 'inherit';
  // As deployed (the start scripts): a smaller young generation, a tighter old one.
  processes[name] = spawn('node', [...workerNodeFlags(name, root), join(root, `dist/workers/${name}.js`)], {
    env,
    stdio: ['ignore', logTo, logTo],
  });
}
async function kill(name: string): Promise<void> {
  const p = processes[name];
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}
for (const name of ['poller', 'parser', 'mailer'] as const) start(name);

// Mail arrives at a steady rate for the whole run, from a client of its own (reconnected after a cut).
const imap = () =>
  new ImapFlow({
    host: '127.0.0.1',
    port: ports.imap,
    secure: false,
    doSTARTTLS: false,
    auth: { user, pass: 'bench' },
    logger: false,
    disableAutoIdle: true,
  });
let client = imap();
await client.connect();
const appended: string[] = [];
let stopping = false;
const feeder = (async () => {
  let i = 0;
  const t0 = Date.now();
  while (!stopping) {
    const { raw, messageId } = benchMessage(i, forms, senders, prefix);
    try {
      if (!client.usable) {
        client = imap();
        await client.connect();
      }
      await client.append('INBOX', raw);
      appended.push(messageId);
      i++;
    } catch {
      await sleep(100);
      continue;
    }
    await sleep(Math.max(0, t0 + (i * 1000) / RATE - Date.now()));
  }
})();

/** How many of these mails have their acknowledgement sent (undefined while PostgreSQL cannot answer). */
async function answered(ids: readonly string[]): Promise<number | undefined> {
  try {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from outbox o join messages m on m.id = o.message_id
      where o.status = 'sent' and m.message_id = any(${ids as string[]})`.execute(db);
    return r.rows[0]?.n ?? 0;
  } catch {
    return undefined;
  }
}
/** Wait until every mail appended so far is answered; the time it took, from `since`. */
async function allHandled(since: number): Promise<number> {
  const ids = [...appended];
  const deadline = Date.now() + HANDLED_TIMEOUT_MS;
  while ((await answered(ids)) !== ids.length) {
    if (Date.now() > deadline)
      throw new Error(`${ids.length - ((await answered(ids)) ?? 0)} mails unanswered`);
    await sleep(50);
  }
  return Date.now() - since;
}

// The faults, each from its start (the kill, the stop) until it is over (the service back).
const faults: Record<string, () => Promise<void>> = {
  worker_kill: async () => {
    await Promise.all([kill('parser'), kill('mailer')]);
    start('parser');
    start('mailer');
  },
  redis_restart: async () => {
    await stopService('redis/redis.pid', 'SIGTERM');
    await services('up', 'redis');
  },
  postgres_restart: async () => {
    await stopService('postgres/data/postmaster.pid', 'SIGINT');
    await services('up', 'pg');
  },
  imap_cut: async () => {
    // Every IMAP session of the bench's Dovecot ends at once (its imap processes killed): the poller's
    // connection drops in the middle of whatever it was doing.
    const master = pidOf('dovecot/run/master.pid');
    for (const d of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const [, name, rest] = /^\d+ \((.*)\) (.*)$/.exec(stat) ?? [];
        if (name === 'imap' && Number(rest?.split(' ')[1]) === master) process.kill(Number(d), 'SIGKILL');
      } catch {
        // gone
      }
    }
  },
};

/** Stop what the bench started: its processes, its mail feed, its services; also when it fails. */
async function cleanUp(): Promise<void> {
  stopping = true;
  for (const p of Object.values(processes))
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
  await Promise.all(
    Object.values(processes).map((p) =>
      p.exitCode !== null || p.signalCode !== null ? undefined : new Promise((r) => p.once('exit', r)),
    ),
  );
  await client.logout().catch(() => undefined);
  await db.destroy().catch(() => undefined);
  await services('down').catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

let report: Record<string, unknown>;
try {
  // Warm up: the processes take their first mails before any fault; the calm time to handle them is the baseline.
  await sleep(2000);
  const calm: number[] = [];
  for (let k = 0; k < 3; k++) {
    await sleep(3000);
    calm.push(await allHandled(Date.now()));
  }

  const results: Record<string, { from_fault_ms: number[]; from_back_ms: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++)
    for (const name of FAULTS) {
      const fault = faults[name];
      if (!fault) throw new Error(`no fault named ${name}`);
      await sleep(3000 + Math.random() * 1000);
      const at = Date.now();
      await fault();
      const back = Date.now();
      const ms = await allHandled(at);
      const r = results[name] ?? { from_fault_ms: [], from_back_ms: [] };
      results[name] = r;
      r.from_fault_ms.push(ms);
      r.from_back_ms.push(ms - (back - at));
    }

  stopping = true;
  await feeder;
  await allHandled(Date.now());
  // Nothing lost or doubled: every mail appended is one message, answered once.
  const stored = await sql<{ messages: number; distinct_ids: number; outbox: number; sent: number }>`
    select (select count(*)::int from messages) as messages,
           (select count(distinct message_id)::int from messages) as distinct_ids,
           (select count(*)::int from outbox) as outbox,
           (select count(*)::int from outbox where status = 'sent') as sent`.execute(db);
  // What the SMTP server received: each transmission, and each distinct answer (a mailer killed after the
  // server took a mail and before it recorded it sends the same message again, with the same Message-ID).
  const sink = join(dir, 'smtp/outbox');
  const transmissions = readdirSync(sink).filter((f) => f.endsWith('.eml'));
  const answers = new Set(
    transmissions.map(
      (f) =>
        /^Message-ID:\s*(\S+)/im.exec(readFileSync(join(sink, f)).subarray(0, 8192).toString('latin1'))?.[1],
    ),
  );
  const counts = stored.rows[0];
  report = {
    rate_per_s: RATE,
    messages: appended.length,
    calm_handled_ms: calm,
    recovery: results,
    lost_or_doubled: {
      appended: appended.length,
      stored: counts?.messages,
      distinct: counts?.distinct_ids,
      acknowledgements: counts?.outbox,
      sent: counts?.sent,
      smtp_transmissions: transmissions.length,
      distinct_answers: answers.size,
    },
    ok:
      counts?.messages === appended.length &&
      counts?.distinct_ids === appended.length &&
      counts?.sent === appended.length &&
      answers.size === appended.length,
  };
} finally {
  await cleanUp();
}
console.log(JSON.stringify(report));
