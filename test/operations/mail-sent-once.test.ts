import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MailTransport } from '../../src/mail/transport.js';
import { sendDueMail } from '../../src/registry/letters/send-due-mail.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { outboxAttempts } from '../helpers/outbox-reads.js';
import { fixture } from '../helpers/paths.js';

// Sending a mail and recording it sent are two steps: a second sender looking at the outbox while the first is
// between them (another mailer process, or the same one woken again) must not send it a second time; and a mail
// whose attempt failed is tried again when its time comes, by any sender, as the same message.

type OutgoingMail = Parameters<MailTransport['send']>[0];

describe('an outbox mail is sent once, however many senders look at the outbox', () => {
  const env = new OperationsEnv('mail-sent-once');
  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());
  const attemptsOf = (id: string) => outboxAttempts(env.db, id);
  // No claim is left held by a connection that went back to the pool.
  afterEach(async () => {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from pg_locks
      where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`.execute(
      env.db,
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });
  // The time of its next attempt come.
  const makeDue = (id: string) =>
    env.db
      .updateTable('outbox')
      .set({ next_attempt_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();

  it('is sent by the first sender; a second one at the same time leaves it to the first, and later finds nothing to send', async () => {
    await env.receive(readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml')));
    const [mail] = await env.outbox();
    if (!mail) throw new Error('no acknowledgement in the outbox');

    const sent: OutgoingMail[] = [];
    let accepted: () => void = () => undefined;
    const serverAccepts = new Promise<void>((resolve) => {
      accepted = resolve;
    });
    let sending: () => void = () => undefined;
    const inTheServer = new Promise<void>((resolve) => {
      sending = resolve;
    });
    const deps = {
      ...env.deps,
      transport: {
        send: async (m: OutgoingMail) => {
          sending();
          await serverAccepts;
          sent.push(m);
          return { messageId: '<sent@test>' };
        },
        close: () => undefined,
      },
    };

    const first = sendDueMail(deps, 10);
    await inTheServer;
    await expect(sendDueMail(deps, 10)).resolves.toEqual({
      sent: 0,
      retry: [],
      failed: 0,
      inHand: [mail.id],
    });
    accepted();
    await expect(first).resolves.toEqual({ sent: 1, retry: [], failed: 0, inHand: [] });
    await expect(sendDueMail(deps, 10)).resolves.toEqual({ sent: 0, retry: [], failed: 0, inHand: [] });
    expect(sent).toHaveLength(1);
    const [row] = await env.outbox();
    expect(row).toMatchObject({ status: 'sent', attempts: 0, smtp_message_id: '<sent@test>' });
  });

  it('puts a mail off after a failed attempt, twice as long each time, and lets any sender send it when it is due', async () => {
    await env.receive(readFileSync(fixture('emails', '03-quan-cau-giay-chuyen-tiep.eml')));
    const mail = (await env.outbox()).find((o) => o.status === 'pending');
    if (!mail) throw new Error('no pending acknowledgement in the outbox');
    const failing = {
      ...env.deps,
      transport: {
        send: async () => {
          throw new Error('connection reset');
        },
        close: () => undefined,
      },
    };
    const before = Date.now();
    const first = await sendDueMail(failing, 10);
    expect(first).toMatchObject({ sent: 0, failed: 0 });
    expect(first.retry).toHaveLength(1);
    const retryBase = env.deps.config.MAIL_RETRY_BASE_MS;
    expect(first.retry[0]?.getTime()).toBeGreaterThanOrEqual(before + retryBase);
    // Not due yet: a sender now finds nothing to send.
    await expect(sendDueMail(failing, 10)).resolves.toEqual({ sent: 0, retry: [], failed: 0, inHand: [] });
    expect(await attemptsOf(mail.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'connection reset',
    });
    // Its time come and failing again: put off twice as long.
    await makeDue(mail.id);
    const secondAt = Date.now();
    const second = await sendDueMail(failing, 10);
    expect(second.retry[0]?.getTime()).toBeGreaterThanOrEqual(secondAt + 2 * retryBase);
    await makeDue(mail.id);
    let sends = 0;
    const working = {
      ...env.deps,
      transport: {
        send: async () => {
          sends++;
          return { messageId: null };
        },
        close: () => undefined,
      },
    };
    await expect(sendDueMail(working, 10)).resolves.toMatchObject({ sent: 1 });
    expect(sends).toBe(1);
    expect(await attemptsOf(mail.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('gives a mail the same Message-ID on every attempt, so that one sent again is the same message', async () => {
    await env.receive(readFileSync(fixture('emails', '06-tx-son-tay-quen-dinh-kem.eml')));
    const mail = (await env.outbox()).find((o) => o.status === 'pending');
    if (!mail) throw new Error('no pending acknowledgement in the outbox');
    const ids: string[] = [];
    const transport = (fail: boolean) => ({
      ...env.deps,
      transport: {
        send: async (m: OutgoingMail) => {
          ids.push(m.headers['Message-ID'] ?? '');
          if (fail) throw new Error('connection reset');
          return { messageId: m.headers['Message-ID'] ?? null };
        },
        close: () => undefined,
      },
    });
    await expect(sendDueMail(transport(true), 10)).resolves.toMatchObject({ sent: 0 });
    await makeDue(mail.id);
    await expect(sendDueMail(transport(false), 10)).resolves.toMatchObject({ sent: 1 });
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^<outbox-\d+\.[0-9a-z]+@hanoi\.gov\.vn>$/);
    expect(ids[1]).toBe(ids[0]);
  });

  it('sends no more of a batch once a sending cannot be recorded, and sends the unrecorded one again as the same message', async () => {
    await env.receive(readFileSync(fixture('emails', '08-so-tttt-dang-ky.eml')));
    await env.receive(readFileSync(fixture('emails', '11-so-y-te-chi-co-cong-van.eml')));
    const due = (await env.outbox()).filter((o) => o.status === 'pending');
    expect(due).toHaveLength(2);
    const transmitted: string[] = [];
    const dropping = {
      ...env.deps,
      config: { ...env.deps.config, MAIL_CONCURRENCY: 1 },
      transport: {
        send: async (m: OutgoingMail) => {
          transmitted.push(m.headers['Message-ID'] ?? '');
          // The server takes the mail; then the database drops the sender's connection (a restart, say).
          if (transmitted.length === 1)
            await sql`select pg_terminate_backend(pid) from pg_locks
              where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`.execute(
              env.db,
            );
          return { messageId: m.headers['Message-ID'] ?? null };
        },
        close: () => undefined,
      },
    };
    await expect(sendDueMail(dropping, 10)).resolves.toMatchObject({ sent: 1 });
    // The second was not sent by that batch: its claim ended with the connection.
    expect(transmitted).toHaveLength(1);
    await expect(sendDueMail(dropping, 10)).resolves.toMatchObject({ sent: 2 });
    expect(transmitted).toHaveLength(3);
    expect(transmitted[1]).toBe(transmitted[0]);
    expect((await env.outbox()).filter((o) => o.status === 'pending')).toEqual([]);
  });
});
