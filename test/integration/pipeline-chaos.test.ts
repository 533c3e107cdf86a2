import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProcess, stopProcess } from '../helpers/child-process.js';
import { mailWith } from '../helpers/form-mail.js';
import { random } from '../helpers/form-variants.js';
import { freePort } from '../helpers/free-port.js';
import { folderCounts } from '../helpers/imap.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { PrivateServices } from '../helpers/private-services.js';
import { waitFor } from '../helpers/wait-for.js';

// The parser and the mailer are killed and Redis is restarted empty while mail is being delivered, at kill points
// chosen by a seed, several times over: after each restart everything is handled within 15 s, nothing is lost
// or doubled, and every sender is answered exactly once. The seed is in the test's name; CHAOS_SEED=N replays a
// run, CHAOS_ROUNDS=N makes it longer.
const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 1_000_000));
const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 4);
const RECOVERY_LIMIT_MS = 15_000;

// A Redis of this file's own, so it can be stopped and restarted empty while other files use the shared one.
const services = new PrivateServices({ pg: 54369, redis: 6396, imap: 1149, smtp: 2531 });

const forms = readdirSync(fixture('forms'))
  .filter((f) => f.startsWith('dk-') && f.endsWith('.docx'))
  .sort()
  .map((name) => ({ name, bytes: readFileSync(fixture('forms', name)) }));
const senders = readFileSync(fixture('agencies-hanoi-2021.csv'), 'utf8')
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[4]?.trim())
  .filter((email): email is string => Boolean(email));

/** What one round does, all of it from the seed: how many mails, which processes die and when. */
function plan(seed: number) {
  const rng = random(seed);
  const at = () => Math.floor(rng.next() * 1500);
  return {
    before: 3 + Math.floor(rng.next() * 4), // mails delivered as the faults happen
    during: Math.floor(rng.next() * 3), // mails delivered while Redis is down
    killParserAt: at(),
    killMailerAt: at(),
    parser: Math.floor(rng.next() * 2), // which of the two is killed
    mailer: Math.floor(rng.next() * 2),
    stopRedisAt: at(),
    twoFiles: Math.floor(rng.next() * 4), // which of the mails carries two forms (a BullMQ flow), if < before
    pick: (n: number) => Math.floor(rng.next() * n),
  };
}

describe('the parser and the mailer killed and Redis restarted empty in the middle of a delivery', () => {
  const env = new PipelineEnv('chaos', {
    REDIS_URL: services.redisUrl,
    JOB_LOCK_MS: '2000',
    IMAP_LOCK_TTL_SECONDS: '3',
    IMAP_POLL_INTERVAL_SECONDS: '1',
    // Many mails from the registry's few dozen addresses: each is answered.
    ACK_MAX_PER_SENDER_PER_HOUR: '1000',
  });
  const children = new Set<ChildProcess>();
  /** A parser or mailer process, and the port of its /healthz (its workers running). */
  const start = async (name: 'parser' | 'mailer') => {
    const port = await freePort();
    const child = spawnProcess(name, { ...env.env, METRICS_PORT: String(port) });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return { child, port };
  };
  const ready = async ({ port }: { port: number }) => {
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      { what: 'a process to start', timeoutMs: 60_000, intervalMs: 200 },
    );
  };
  /** How many distinct answers arrived (a mail sent again is the same message, with the same Message-ID). */
  const answered = () => new Set(env.smtp.mails.map((m) => m.parsed.messageId)).size;
  /** Every mail delivered: its Message-ID and its sender. */
  const delivered = new Map<string, string>();
  let sequence = 0;

  const nextMail = (rng: ReturnType<typeof plan>, files: number) => {
    const n = sequence++;
    const from = senders[rng.pick(senders.length)] as string;
    const id = `chaos-${SEED}-${n}`;
    const picked = Array.from(
      { length: files },
      () => forms[rng.pick(forms.length)] as (typeof forms)[number],
    );
    delivered.set(`<${id}@test.example>`, from);
    return mailWith({
      from,
      subject: `Đăng ký sáng kiến ${n}`,
      id,
      date: new Date(),
      files: picked.map((f, k) => ({ name: `${n}-${k}-${f.name}`, bytes: f.bytes })),
    });
  };

  beforeAll(async () => {
    await services.run('up', 'redis');
    await env.setUp();
    env.startPoller();
  }, 120_000);
  afterAll(async () => {
    for (const child of [...children]) await stopProcess(child);
    await env.tearDown();
    await services.destroy();
  });

  it(`recovers within 15 s of each restart, losing and doubling nothing (seed ${SEED})`, async () => {
    const db = env.database.db;
    // Two of each, as a deployment runs them (any number share the queues): each round kills one parser and one
    // mailer in the middle of their work, the other lives through Redis's restart (its recovery on 'ready'), and
    // the killed one is started again at once, as its supervisor would (the compose file: restart unless-stopped), and
    // recovers at its start. Were every process of a kind killed, the recovery would wait for one to start.
    const running = {
      parser: [await start('parser'), await start('parser')],
      mailer: [await start('mailer'), await start('mailer')],
    };
    const killAndRestart = async (name: 'parser' | 'mailer', which: number) => {
      await stopProcess((running[name][which] as { child: ChildProcess }).child);
      running[name][which] = await start(name);
    };
    const recoveries: number[] = [];
    // The processes up and working before the first fault.
    const warm = plan(SEED * 1000 + 999);
    await env.settle([await env.deliver(nextMail(warm, 1))], 60_000);
    await waitFor(() => answered() >= delivered.size, {
      what: 'the first answer',
      timeoutMs: 30_000,
    });

    for (let round = 0; round < ROUNDS; round++) {
      // Every process up before the faults: the one of each kind that lives through the round has its workers
      // running (a restarted one takes seconds to start on a busy machine).
      for (const p of [...running.parser, ...running.mailer]) await ready(p);
      const p = plan(SEED * 1000 + round);
      const uids: number[] = [];
      const t0 = Date.now();
      const at = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, t0 + ms - Date.now())));
      const delivery = (async () => {
        for (let k = 0; k < p.before; k++)
          uids.push(await env.deliver(nextMail(p, k === p.twoFiles ? 2 : 1)));
      })();
      await Promise.all([
        delivery,
        at(p.stopRedisAt).then(() => services.stop('redis')),
        at(p.killParserAt).then(() => killAndRestart('parser', p.parser)),
        at(p.killMailerAt).then(() => killAndRestart('mailer', p.mailer)),
      ]);
      for (let k = 0; k < p.during; k++) uids.push(await env.deliver(nextMail(p, 1)));
      await services.run('up', 'redis');
      const restarted = Date.now();

      const context = `round ${round} of seed ${SEED} (${JSON.stringify({ ...p, pick: undefined })})`;
      await env.settle(uids, RECOVERY_LIMIT_MS * 2).catch((err: Error) => {
        throw new Error(`${context}: ${err.message}`);
      });
      await waitFor(() => answered() >= delivered.size, {
        what: `every answer in ${context}`,
        timeoutMs: RECOVERY_LIMIT_MS * 2,
      });
      recoveries.push(Date.now() - restarted);
      expect(recoveries.at(-1), `${context}: handled ${recoveries.at(-1)} ms after the restart`).toBeLessThan(
        RECOVERY_LIMIT_MS,
      );
    }

    // Nothing lost: every mail delivered is stored once and settled, every file has ended, the inbox is empty.
    const messages = await db.selectFrom('messages').select(['message_id', 'state']).execute();
    expect(messages.map((m) => m.message_id).sort()).toEqual([...delivered.keys()].sort());
    expect(messages.filter((m) => m.state === 'received')).toEqual([]);
    const unfinished = await db
      .selectFrom('attachments')
      .select('id')
      .where('state', '=', 'pending')
      .execute();
    expect(unfinished).toEqual([]);
    const counts = await folderCounts(env.imap, ['INBOX']);
    expect(counts.INBOX).toBe(0);
    // Nothing doubled: one submission per form read, one acknowledgement per message in the outbox.
    const forms = await db
      .selectFrom('attachments')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('parsed_kind', 'in', ['registration', 'results_report'])
      .executeTakeFirstOrThrow();
    const submissions = await db
      .selectFrom('submissions')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(submissions.n).toBe(forms.n);
    const outbox = await db.selectFrom('outbox').select(['kind', 'status']).execute();
    expect(outbox).toHaveLength(delivered.size);
    expect(outbox.every((o) => o.kind === 'acknowledgement' && o.status === 'sent')).toBe(true);
    // Every sender answered exactly once, at the address it wrote from: one answer (one Message-ID) per mail. A
    // mailer killed after the SMTP server took an answer and before it recorded it sends that answer again (no
    // sender can close that moment), as the same message, with the same Message-ID, which a mailbox shows once.
    const answers = new Map<string, { inReplyTo?: string; to: string[] }>();
    for (const m of env.smtp.mails) {
      const seen = answers.get(m.parsed.messageId ?? '');
      if (seen) expect({ inReplyTo: m.parsed.inReplyTo, to: m.to }).toEqual(seen);
      answers.set(m.parsed.messageId ?? '', { inReplyTo: m.parsed.inReplyTo, to: m.to });
    }
    expect(answers.size).toBe(delivered.size);
    expect(new Set([...answers.values()].map((a) => a.inReplyTo)).size).toBe(delivered.size);
    for (const a of answers.values()) expect(a.to).toEqual([delivered.get(a.inReplyTo ?? '')?.toLowerCase()]);
    expect(env.smtp.mails.length - answers.size, 'mails sent again').toBeLessThanOrEqual(ROUNDS);
  }, 240_000);
});
