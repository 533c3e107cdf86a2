// End-to-end benchmark on the local services: 1,000 messages, each with one form, appended to a fresh inbox
// and run through real poller, parser and mailer processes, after a warm-up batch. Prints one JSON line:
// messages/s, p50/p95 latency from APPEND to the submission committed (under load, and one at a time on an
// idle inbox), the CPU seconds of each process and service and the CPU per message outside the parse, each
// process's peak RSS, and the bare parse throughput of the same files in one process.
//   npm run bench:pipeline     BENCH_MESSAGES=200 for a shorter run, BENCH_WARMUP=0 to measure cold processes,
//                              BENCH_KEEP=1 to keep its mailbox and the acknowledgements the SMTP sink wrote
// Diagnosis: BENCH_LOG_DIR=DIR keeps each process's log there; with it, BENCH_PROFILE=parser writes a CPU
// profile of that process; BENCH_NODE_ARGS passes flags to node (e.g. --trace-opt), BENCH_NODE_ARGS_POLLER (or
// _PARSER, _MAILER) to one process; BENCH_THREAD_CPU=1 prints
// the CPU seconds of every thread; BENCH_PERF=FILE records the measured run with perf(1).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { workerNodeFlags } from '../src/ops/worker-flags.js';
import { parseForm } from '../src/parser/parse-form.js';
import { parseAgencyCsv } from '../src/registry/reference/data-files.js';
import { importAgencyRegistry, loadCampaignFile } from '../src/registry/reference/registry-files.js';
import { benchMessage, registrationForms } from './bench-mail.js';

const root = join(import.meta.dirname, '..');
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
const IDLE_SAMPLES = Number(process.env.BENCH_IDLE_SAMPLES ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2500);
const WARMUP_BASE = 1_000_000; // message numbers of the warm-up batch, apart from the measured ones
const dataDir = process.env.REFORM_DATA_DIR ?? `/var/tmp/reform-inbox-${userInfo().username}`;

execFileSync('bash', [join(root, 'scripts/services.sh'), 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (!existsSync(join(root, 'dist/workers/poller.js')))
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });

const base = loadConfig({ REDIS_URL: process.env.REDIS_URL, DATABASE_URL: process.env.DATABASE_URL });
const dbName = `bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: base.DATABASE_URL.replace(/\/[^/]+$/, '/postgres') });
await admin.connect();
await admin.query(`create database ${dbName}`);
const databaseUrl = base.DATABASE_URL.replace(/\/[^/]+$/, `/${dbName}`);
const db = createDatabase(databaseUrl, 4);
await migrateToLatest(db);
await loadCampaignFile(db, join(root, 'data/campaign-hanoi-2021.yaml'));
await importAgencyRegistry(db, join(root, 'data/agencies-hanoi-2021.csv'));

const user = `bench_${randomBytes(3).toString('hex')}`;
appendFileSync(join(dataDir, 'dovecot/users'), `${user}:{PLAIN}bench\n`);
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  DATABASE_URL: databaseUrl,
  REDIS_URL: base.REDIS_URL,
  QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
  IMAP_USER: user,
  IMAP_PASSWORD: 'bench',
  LOG_LEVEL: 'warn',
  ...(process.env.PARSE_CONCURRENCY ? { PARSE_CONCURRENCY: process.env.PARSE_CONCURRENCY } : {}),
  ...(process.env.PARSE_THREADS ? { PARSE_THREADS: process.env.PARSE_THREADS } : {}),
  LOG_PRETTY: 'false',
  ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  // The sink accepts everything; acknowledgements are part of the work measured. The bench's 3,500 messages
  // come from the registry's few dozen addresses, so the per-sender reply limit is lifted: each one is answered,
  // as 3,500 messages from as many senders would be.
  SMTP_PORT: process.env.SMTP_PORT ?? '2525',
  ACK_MAX_PER_SENDER_PER_HOUR: '1000000',
};

// The forms: every .docx registration form of the fixtures, sent from registered addresses in turn.
const forms = registrationForms(root);
const senders = parseAgencyCsv(readFileSync(join(root, 'data/agencies-hanoi-2021.csv'), 'utf8')).flatMap(
  (a) => a.emails,
);
const message = (i: number): Buffer => benchMessage(i, forms, senders, String(env.QUEUE_PREFIX)).raw;

// Bare parse of the same files in this process, for comparison: three 3-second windows before the pipeline
// starts and three after it stops, each after untimed passes that warm the parser up — the first time about
// 2,000 forms, as many as V8 takes to finish compiling the parser's hot code (see the warm-up below).
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const registry = await db.selectFrom('agencies').select(['code', 'name', 'kind']).execute();
async function bareParse(warmUpForms: number): Promise<number[]> {
  const options = {
    registry,
    limits: { maxBytes: 20 * 1024 * 1024, maxUncompressedBytes: 100 * 1024 * 1024 },
  };
  for (let k = 0; k * forms.length < warmUpForms; k++)
    for (const f of forms) await parseForm(f.bytes, f.name, options);
  const windows: number[] = [];
  for (let w = 0; w < 3; w++) {
    const windowStart = Date.now();
    let count = 0;
    while (Date.now() - windowStart < 3000) {
      for (const f of forms) {
        await parseForm(f.bytes, f.name, options);
        count++;
      }
    }
    windows.push(count / ((Date.now() - windowStart) / 1000));
  }
  return windows;
}
const bareBefore = await bareParse(2000);

const imap = new ImapFlow({
  host: '127.0.0.1',
  port: base.IMAP_PORT,
  secure: false,
  doSTARTTLS: false,
  auth: { user, pass: 'bench' },
  logger: false,
});
await imap.connect();

const processes: Record<string, ChildProcess> = {};
for (const name of ['poller', 'parser', 'mailer']) {
  // BENCH_LOG_DIR=DIR keeps each process's info log there; BENCH_PROFILE=NAME writes a CPU profile of NAME.
  const logDir = process.env.BENCH_LOG_DIR;
  const logTo = logDir ? openSync(join(logDir, `${name}.log`), 'w') : 'inherit';
  const profile = process.env.BENCH_PROFILE?.split(',').includes(name)
    ? ['--cpu-prof', `--cpu-prof-dir=${logDir ?? '.'}`]
    : [];
  processes[name] = spawn(
    'node',
    [
      // As deployed (the start scripts); a flag in BENCH_NODE_ARGS comes later and wins.
      ...workerNodeFlags(name, root),
      ...profile,
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...(process.env[`BENCH_NODE_ARGS_${name.toUpperCase()}`]?.split(' ').filter(Boolean) ?? []),
      join(root, `dist/workers/${name}.js`),
    ],
    {
      env: { ...env, ...(logDir ? { LOG_LEVEL: 'info' } : {}) },
      stdio: ['ignore', logTo, logTo],
    },
  );
}
const peakRss: Record<string, number> = {};
const hwmOf = (pid: number | string): number => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0; // exited
  }
};
// Each process's peak, and the largest peak of its children (the parser's parse processes), from the kernel's
// list of a thread's children.
const sampleRss = () => {
  for (const [name, p] of Object.entries(processes)) {
    if (p.pid === undefined) continue;
    peakRss[name] = Math.max(peakRss[name] ?? 0, hwmOf(p.pid));
    let children: string[] = [];
    try {
      children = readFileSync(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
    } catch {
      // exited, or a kernel without the list
    }
    for (const child of children)
      peakRss[`${name}_children`] = Math.max(peakRss[`${name}_children`] ?? 0, hwmOf(child));
  }
};
const rssTimer = setInterval(sampleRss, 200);

const committedCount = async () =>
  Number(
    (
      await db
        .selectFrom('submissions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const waitFor = async (n: number, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while ((await committedCount()) < n) {
    if (Date.now() > deadline)
      throw new Error(`only ${await committedCount()} of ${n} submissions after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
const latencies = async (appended: Map<string, number>) => {
  const rows = await db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select(['messages.message_id', 'submissions.created_at'])
    .execute();
  return rows
    .filter((r) => r.message_id && appended.has(r.message_id))
    .map((r) => r.created_at.getTime() - (appended.get(r.message_id as string) ?? 0))
    .sort((a, b) => a - b);
};
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

// Let the processes start and take the (empty) mailbox.
await new Promise((r) => setTimeout(r, 3000));

// Warm-up: fresh processes spend their first thousands of messages compiling hot code. V8's optimizing compiler
// ran ~10 CPU-seconds in the parser process over a cold 1,000-message run on this machine; in one process the
// parser's compiling settles only after about 2,000 forms, and after a 500-message warm-up (250 forms for each
// of two parse processes) the compiler threads still took a tenth of the machine through the measured run. The
// measured run starts once 2,500 messages have gone through (about 1,250 forms for each parse process), and
// the cold rate of that batch is reported on its own.
const warmupStart = Date.now();
for (let i = 0; i < WARMUP; i++) await imap.append('INBOX', message(WARMUP_BASE + i));
await waitFor(WARMUP, 30 * 60_000);
const warmupRate = WARMUP / ((Date.now() - warmupStart) / 1000);

// Under load: all messages appended as fast as the server takes them. They are made beforehand, so the
// measured run holds only their delivery, not the bench making them.
const batch = Array.from({ length: MESSAGES }, (_, i) => message(i));
const loadAppended = new Map<string, number>();
const machineCpu = () => {
  // user+nice+system+irq+softirq+steal vs all, in ticks, from the first line of /proc/stat
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: f.reduce((a, b) => a + b, 0) - idle, all: f.reduce((a, b) => a + b, 0) };
};
// CPU seconds of each local service: its process, the live processes under it, and its reaped children.
const servicePids = {
  postgres: 'postgres/data/postmaster.pid',
  redis: 'redis/redis.pid',
  dovecot: 'dovecot/run/master.pid',
  smtp_sink: 'smtp/sink.pid',
};
const procStat = (pid: number) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
};
const servicesCpu = () => {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => ({ pid: Number(d), stat: procStat(Number(d)) }));
  const out: Record<string, number> = {};
  for (const [name, file] of Object.entries(servicePids)) {
    let root: number;
    try {
      root = Number(readFileSync(join(dataDir, file), 'utf8').split('\n')[0]);
    } catch {
      continue;
    }
    const tree = new Set([root]);
    let ticks = procStat(root)?.reaped ?? 0;
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of all)
        if (p.stat && !tree.has(p.pid) && tree.has(p.stat.ppid)) {
          tree.add(p.pid);
          grew = true;
        }
    }
    for (const p of all) if (tree.has(p.pid)) ticks += p.stat?.own ?? 0;
    out[name] = ticks / 100;
  }
  return out;
};
// Each process's own CPU, and apart from it that of its children (the parser's parse processes, living or
// replaced), so the parse itself and the work around it can be told apart.
const processesCpu = () => {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => ({ pid: Number(d), stat: procStat(Number(d)) }));
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(processes)) {
    const own = (p.pid && procStat(p.pid)) || undefined;
    out[name] = own?.own ?? 0;
    const children = all.filter((c) => c.stat?.ppid === p.pid).reduce((t, c) => t + (c.stat?.own ?? 0), 0);
    if (children > 0 || (own?.reaped ?? 0) > 0) out[`${name}_children`] = children + (own?.reaped ?? 0);
  }
  return out;
};
// CPU ticks of every thread of the processes (BENCH_THREAD_CPU=1): the main thread, the parse thread, V8's helpers.
const threadTicks = () => {
  const out = new Map<string, number>();
  for (const [name, p] of Object.entries(processes))
    for (const t of readdirSync(`/proc/${p.pid}/task`)) {
      const stat = readFileSync(`/proc/${p.pid}/task/${t}/stat`, 'utf8');
      const f = stat.split(') ')[1]?.split(' ') ?? [];
      // The thread's name says what it is: V8's helpers ("V8 DefaultWorke"), libuv's pool ("libuv-worker").
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.set(`${name} ${t === String(p.pid) ? 'main' : `${t} ${comm}`}`, Number(f[11]) + Number(f[12]));
    }
  return out;
};
const threadsAtStart = threadTicks();
const servicesAtStart = servicesCpu();
const processesAtStart = processesCpu();
const cpuAtStart = machineCpu();
const benchAtStart = process.cpuUsage();
// BENCH_PERF=FILE records the whole machine with perf(1) over the measured run (with
// BENCH_NODE_OPTIONS=--perf-basic-prof, perf names the JavaScript functions too).
const perf = process.env.BENCH_PERF
  ? spawn('perf', ['record', '-a', '-g', '-F', '499', '-o', process.env.BENCH_PERF], { stdio: 'ignore' })
  : undefined;
const start = Date.now();
for (const [i, raw] of batch.entries()) {
  await imap.append('INBOX', raw);
  loadAppended.set(`<bench-${i}-${env.QUEUE_PREFIX}@hanoi.gov.vn>`, Date.now());
}
const appendSeconds = (Date.now() - start) / 1000;
const storedCount = async () =>
  Number(
    (
      await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
while ((await storedCount()) < WARMUP + MESSAGES) await new Promise((r) => setTimeout(r, 100));
const storedSeconds = (Date.now() - start) / 1000;
await waitFor(WARMUP + MESSAGES, 30 * 60_000);
const seconds = (Date.now() - start) / 1000;
const cpuAtEnd = machineCpu();
const servicesAtEnd = servicesCpu();
const processesAtEnd = processesCpu();
const threadsAtEnd = threadTicks();
const benchCpu = process.cpuUsage(benchAtStart);
if (perf) {
  perf.kill('SIGINT');
  await new Promise((r) => perf.once('exit', r));
}
// CPU seconds spent in the measured run (not the warm-up) by each process and service.
const cpuUsed = {
  ...Object.fromEntries(
    Object.entries(processesAtEnd).map(([k, v]) => [
      k,
      Number(((v - (processesAtStart[k] ?? 0)) / 100).toFixed(1)),
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(servicesAtEnd).map(([k, v]) => [k, Number((v - (servicesAtStart[k] ?? 0)).toFixed(1))]),
  ),
  // this process: appending the messages and watching for their submissions
  bench: Number(((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)),
};
const machineBusy = (cpuAtEnd.busy - cpuAtStart.busy) / (cpuAtEnd.all - cpuAtStart.all);
const load = await latencies(loadAppended);

// Idle inbox: one message at a time.
const idleAppended = new Map<string, number>();
for (let k = 0; k < IDLE_SAMPLES; k++) {
  const i = MESSAGES + k;
  await imap.append('INBOX', message(i));
  idleAppended.set(`<bench-${i}-${env.QUEUE_PREFIX}@hanoi.gov.vn>`, Date.now());
  await waitFor(WARMUP + MESSAGES + k + 1, 60_000);
  await new Promise((r) => setTimeout(r, 300));
}
const idle = await latencies(idleAppended);

clearInterval(rssTimer);
sampleRss();
if (process.env.BENCH_THREAD_CPU)
  for (const [key, ticks] of threadsAtEnd) {
    const used = (ticks - (threadsAtStart.get(key) ?? 0)) / 100;
    if (used >= 0.1) console.error(key, 'cpu_s over the measured run:', used);
  }
for (const p of Object.values(processes)) p.kill('SIGTERM');
await Promise.all(Object.values(processes).map((p) => new Promise((r) => p.once('exit', r))));
await imap.logout();
await db.destroy();
await admin.query(`drop database ${dbName} with (force)`);
await admin.end();

// The bench leaves nothing behind (BENCH_KEEP=1 keeps it): its mailbox user, and the acknowledgements the SMTP
// sink wrote for its messages (each answers a Message-ID carrying this run's prefix).
if (!process.env.BENCH_KEEP) {
  rmSync(join(dataDir, 'dovecot/mail', user), { recursive: true, force: true });
  const usersFile = join(dataDir, 'dovecot/users');
  const users = readFileSync(usersFile, 'utf8').split('\n');
  writeFileSync(usersFile, users.filter((line) => !line.startsWith(`${user}:`)).join('\n'));
  const sinkDir = join(dataDir, 'smtp/outbox');
  const removed = new Set<string>();
  for (const f of existsSync(sinkDir) ? readdirSync(sinkDir) : []) {
    if (!f.endsWith('.eml')) continue;
    const head = readFileSync(join(sinkDir, f)).subarray(0, 8192).toString('latin1');
    if (!head.includes(String(env.QUEUE_PREFIX))) continue;
    rmSync(join(sinkDir, f), { force: true });
    removed.add(f);
  }
  const envelopes = join(sinkDir, 'envelopes.jsonl');
  if (removed.size > 0 && existsSync(envelopes)) {
    const kept = readFileSync(envelopes, 'utf8')
      .split('\n')
      .filter((line) => line && !removed.has((JSON.parse(line) as { file?: string }).file ?? ''));
    writeFileSync(envelopes, kept.map((line) => `${line}\n`).join(''));
  }
}

const bareAfter = await bareParse(300);
// The median of the six windows, three before the pipeline ran and three after: the machine's own speed drifts
// (other tenants of the host), and one side alone would carry that drift into the comparison.
const bare = median([...bareBefore, ...bareAfter]);

const mb = (n: number) => Math.round(n / 1024 / 1024);
console.log(
  JSON.stringify({
    messages: MESSAGES,
    messages_per_s: Number((MESSAGES / seconds).toFixed(1)),
    warmup: { messages: WARMUP, messages_per_s: Number(warmupRate.toFixed(1)) },
    stages_s: { appended: appendSeconds, stored: storedSeconds, parsed: seconds },
    load_latency_ms: { p50: pct(load, 50), p95: pct(load, 95) },
    idle_latency_ms: { p50: pct(idle, 50), p95: pct(idle, 95) },
    cpu_s: cpuUsed,
    // What the system spends besides the parse itself (the parse processes), per message: the poller, the parser's
    // main process, the mailer, PostgreSQL and Redis (not the mail servers, which stand for the office's own).
    cpu_ms_per_message_outside_parse: Number(
      (
        (Object.entries(cpuUsed)
          .filter(([k]) => !['bench', 'dovecot', 'smtp_sink'].includes(k) && !k.endsWith('_children'))
          .reduce((t, [, v]) => t + v, 0) *
          1000) /
        MESSAGES
      ).toFixed(1),
    ),
    machine_busy_under_load: Number(machineBusy.toFixed(2)),
    peak_rss_mb: Object.fromEntries(Object.entries(peakRss).map(([k, v]) => [k, mb(v)])),
    bare_parse_forms_per_s: Number(bare.toFixed(1)),
    bare_parse_before_after: [Number(median(bareBefore).toFixed(1)), Number(median(bareAfter).toFixed(1))],
    pipeline_vs_bare_parse: Number((MESSAGES / seconds / bare).toFixed(2)),
  }),
);
