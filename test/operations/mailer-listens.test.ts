import { readFileSync } from 'node:fs';
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
  let mailer: RunningMailer | null = null;
  beforeAll(async () => {
    await env.setUp();
    const transport: MailTransport = {
      send: async (m) => {
        if (failNext > 0) {
          failNext--;
          throw new Error('connection reset');
        }
        sent.push(m);
        return { messageId: m.headers['Message-ID'] ?? null };
      },
      close: () => undefined,
    };
    mailer = startMailer({ ...env.deps, transport }, { sweepEveryMs: 3_600_000 });
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
});
