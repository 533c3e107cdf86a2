import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMailer, startMailer } from '../../src/jobs/mailer-worker.js';
import type { MailTransport } from '../../src/mail/transport.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait-for.js';

// The outbox is the mailer's only queue: a mail written to it is sent at once because its commit notifies the
// mailer, not because a sweep comes by (the sweep here is an hour away), and a mail put off after a failed attempt
// is sent when its time comes, with nobody notifying.

type OutgoingMail = Parameters<MailTransport['send']>[0];

describe('the mailer sends what the outbox holds, as it comes', () => {
  const env = new OperationsEnv('mailer-listens', { MAIL_RETRY_BASE_MS: '300' });
  const sent: OutgoingMail[] = [];
  let failNext = 0;
  // Failures still to come for a recipient (by address).
  const failFor = new Map<string, number>();
  let mailer: RunningMailer | null = null;
  beforeAll(async () => {
    await env.setUp();
    const transport: MailTransport = {
      send: async (m) => {
        const to = m.to[0] ?? '';
        if (failNext > 0 || (failFor.get(to) ?? 0) > 0) {
          if (failNext > 0) failNext--;
          else failFor.set(to, (failFor.get(to) ?? 0) - 1);
          throw new Error('connection reset');
        }
        sent.push(m);
        return { messageId: m.headers['Message-ID'] ?? null };
      },
      close: () => undefined,
    };
    mailer = startMailer({ ...env.deps, transport }, { sweepEveryMs: 3_600_000 });
    // Listening before the first mail is written, so that it is the notification that sends it.
    await waitFor(
      async () => {
        const { rows } = await sql<{ n: string }>`
          select count(*) as n from pg_stat_activity
          where datname = current_database() and query = 'LISTEN outbox_added'`.execute(env.db);
        return Number(rows[0]?.n) > 0;
      },
      { timeoutMs: 5000, what: 'the mailer listening' },
    );
  });
  afterAll(async () => {
    await mailer?.close();
    await env.tearDown();
  });

  const statusOf = async (id: string) =>
    (await env.db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow())
      .status;

  it('sends an answer as soon as it is written', async () => {
    await env.receive(readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml')));
    const [mail] = await env.outbox();
    if (!mail) throw new Error('no acknowledgement in the outbox');
    await waitFor(async () => (await statusOf(mail.id)) === 'sent', {
      timeoutMs: 5000,
      what: 'the answer sent',
    });
    expect(sent.map((m) => m.to)).toEqual([['vanthu_sotp@hanoi.gov.vn']]);
    expect(mailer?.isRunning()).toBe(true);
  });

  it('sends a mail put off by a failed attempt when its time comes, once', async () => {
    failNext = 1;
    const before = sent.length;
    await env.receive(readFileSync(fixture('emails', '03-quan-cau-giay-chuyen-tiep.eml')));
    const mail = (await env.outbox()).at(-1);
    if (!mail) throw new Error('no acknowledgement in the outbox');
    await waitFor(async () => (await statusOf(mail.id)) === 'sent', {
      timeoutMs: 5000,
      what: 'the retry sent',
    });
    const row = await env.db
      .selectFrom('outbox')
      .select(['attempts', 'last_error'])
      .where('id', '=', mail.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ attempts: 1, last_error: null });
    expect(sent.length - before).toBe(1);
  });

  it('keeps every put-off mail in mind, not only the one due first', async () => {
    // Each is put off once, the second due a little after the first: when the first is sent, the second is not yet
    // due, and must still be sent when it is (with the sweep an hour away).
    failFor.set('vanthu_sontay@hanoi.gov.vn', 1);
    failFor.set('vanthu_sotttt@hanoi.gov.vn', 1);
    await env.receive(readFileSync(fixture('emails', '06-tx-son-tay-quen-dinh-kem.eml')));
    await env.receive(readFileSync(fixture('emails', '08-so-tttt-dang-ky.eml')));
    const mails = (await env.outbox()).slice(-2);
    expect(mails.map((m) => m.to_addresses)).toEqual([
      ['vanthu_sontay@hanoi.gov.vn'],
      ['vanthu_sotttt@hanoi.gov.vn'],
    ]);
    for (const m of mails)
      await waitFor(async () => (await statusOf(m.id)) === 'sent', {
        timeoutMs: 5000,
        what: `mail ${m.id} sent`,
      });
    const attempts = await env.db
      .selectFrom('outbox')
      .select('attempts')
      .where(
        'id',
        'in',
        mails.map((m) => m.id),
      )
      .orderBy('id')
      .execute();
    expect(attempts.map((a) => a.attempts)).toEqual([1, 1]);
  });
});
