import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMailboxState } from '../../src/db/mailbox.repository.js';
import { folderCounts, imapClient } from '../helpers/imap.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { PrivateServices } from '../helpers/private-services.js';
import { waitFor } from '../helpers/wait-for.js';

const run = promisify(execFile);
const emails = readdirSync(fixture('emails'))
  .filter((f) => f.endsWith('.eml'))
  .sort();
const raw = (file: string) => readFileSync(fixture('emails', file));

// Services of this file's own, so they can be stopped and restarted while other files use the shared ones.
const services = new PrivateServices({ pg: 54349, redis: 6393, imap: 1146, smtp: 2528 });
const wiring = () => ({
  databaseUrl: services.databaseUrl,
  redisUrl: services.redisUrl,
  imapPort: services.ports.imap,
  dir: services.dir,
});

beforeAll(() => services.run('up'), 120_000);
afterAll(() => services.destroy());

describe('Redis, IMAP and SMTP restarted mid-run', () => {
  const env = new PipelineEnv(
    'restarts',
    { JOB_LOCK_MS: '2000', IMAP_LOCK_TTL_SECONDS: '3', MAIL_RETRY_BASE_MS: '300' },
    wiring(),
  );

  beforeAll(async () => {
    await env.start();
  }, 60_000);
  afterAll(() => env.tearDown());

  it('ends as an undisturbed run would: every message once, every acknowledgement once', async () => {
    const db = env.database.db;
    const stored = async () =>
      (await db.selectFrom('messages').select('state').execute()).filter((m) => m.state !== 'received')
        .length;
    const [first, second, third, fourth] = [
      emails.slice(0, 4),
      emails.slice(4, 8),
      emails.slice(8, 11),
      emails.slice(11),
    ];

    await env.settle(await env.deliverAll((first ?? []).map(raw)));

    // SMTP down: messages are still stored and handled; their acknowledgements wait in the outbox.
    await env.smtp.stop();
    const uids = await env.deliverAll((second ?? []).map(raw));
    await waitFor(async () => (await stored()) >= 7, { what: 'messages handled while SMTP is down' });
    const waiting = await db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
    expect(waiting.length).toBeGreaterThan(0);

    // Redis restarted, losing every queue (it keeps no data here).
    await services.stop('redis');
    uids.push(...(await env.deliverAll((third ?? []).map(raw))));
    await services.start();

    // The IMAP server restarted while the poller sits in IDLE: after a pass it finished with Redis back.
    const back = (await sql<{ now: Date }>`select now() as now`.execute(db)).rows[0]?.now ?? new Date();
    await waitFor(
      async () => {
        const polled = (await getMailboxState(db, env.config.IMAP_MAILBOX))?.last_poll_at;
        return polled != null && new Date(polled) > back;
      },
      { what: 'a pass over the mailbox after Redis came back', timeoutMs: 60_000 },
    );
    await services.stop('dovecot');
    await services.start();
    await env.imap.logout().catch(() => undefined);
    env.imap = await imapClient(env.imapUser.user, env.imapUser.password, services.ports.imap);
    uids.push(...(await env.deliverAll((fourth ?? []).map(raw))));

    // SMTP back on the same port.
    await env.smtp.start(env.config.SMTP_PORT);
    await env.settle(uids, 120_000);
    await waitFor(() => env.smtp.mails.length >= emails.length - 2, {
      what: 'every acknowledgement',
      timeoutMs: 60_000,
    });

    const messages = await db.selectFrom('messages').select(['message_id', 'state']).execute();
    expect(messages).toHaveLength(emails.length - 1);
    expect(new Set(messages.map((m) => m.message_id)).size).toBe(emails.length - 1);
    const pending = await db.selectFrom('attachments').select('id').where('state', '=', 'pending').execute();
    expect(pending).toHaveLength(0);
    expect(env.smtp.mails).toHaveLength(emails.length - 2);
    expect(new Set(env.smtp.mails.map((m) => m.parsed.inReplyTo)).size).toBe(emails.length - 2);
    const counts = await folderCounts(env.imap, ['INBOX', 'Processed', 'Needs review']);
    expect(counts.INBOX).toBe(0);
    expect((counts.Processed ?? 0) + (counts['Needs review'] ?? 0)).toBe(emails.length);
  }, 300_000);
});

describe('recovery without waiting for a sweep', () => {
  const env = new PipelineEnv('recovery', { JOB_LOCK_MS: '2000', IMAP_LOCK_TTL_SECONDS: '3' }, wiring());

  beforeAll(async () => {
    await env.setUp();
    env.startPoller();
  }, 60_000);
  afterAll(() => env.tearDown());

  it('queues again at once what PostgreSQL says is unfinished when the workers start on an emptied Redis', async () => {
    const db = env.database.db;
    // Stored and queued by the poller, with no worker to take the jobs; then Redis restarts with nothing in it.
    const uids = await env.deliverAll(emails.slice(0, 3).map(raw));
    await waitFor(
      async () => (await db.selectFrom('messages').select('id').execute()).length === uids.length,
      { what: 'the mails stored' },
    );
    await services.stop('redis');
    await services.start();
    // The sweeps would first run in ten minutes: only the recovery at start can handle the mail in time.
    env.startWorkers({ sweepEveryMs: 600_000 });
    await env.settle(uids, 60_000);
    await waitFor(() => env.smtp.mails.length >= uids.length, { what: 'every acknowledgement' });
    const states = await db.selectFrom('messages').select('state').execute();
    expect(states.every((m) => m.state !== 'received')).toBe(true);
    expect(env.smtp.mails).toHaveLength(uids.length);
  }, 120_000);
});

describe('UIDVALIDITY changes', () => {
  const env = new PipelineEnv('uidvalidity', { IMAP_AFTER_PROCESSING: 'flag' }, wiring());

  beforeAll(async () => {
    await env.start();
  }, 60_000);
  afterAll(() => env.tearDown());

  it('rescans the mailbox without losing or doubling anything', async () => {
    const db = env.database.db;
    await env.settle(await env.deliverAll(emails.slice(0, 3).map(raw)));
    const before = await getMailboxState(db, env.config.IMAP_MAILBOX);

    // The server renumbers the mailbox (as after a restore or a migration to another server).
    const conf = join(services.dir, 'dovecot', 'dovecot.conf');
    await run('doveadm', [
      '-c',
      conf,
      'mailbox',
      'update',
      '-u',
      env.imapUser.user,
      '--uid-validity',
      '7777',
      'INBOX',
    ]);
    await env.deliverAndSettle(raw(emails[3] as string));
    await waitFor(async () => (await getMailboxState(db, env.config.IMAP_MAILBOX))?.uidvalidity === '7777', {
      what: 'the new UIDVALIDITY to be seen',
    });

    const after = await getMailboxState(db, env.config.IMAP_MAILBOX);
    expect(after?.uidvalidity).not.toBe(before?.uidvalidity);
    const messages = await db.selectFrom('messages').select('message_id').execute();
    expect(messages).toHaveLength(4);
    await waitFor(() => env.smtp.mails.length >= 4, { what: 'acknowledgements' });
    expect(env.smtp.mails).toHaveLength(4);
    // Flag mode: everything stays in the inbox, flagged.
    const counts = await folderCounts(env.imap, ['INBOX', 'Processed']);
    expect(counts).toEqual({ INBOX: 4, Processed: 0 });
  }, 120_000);
});
