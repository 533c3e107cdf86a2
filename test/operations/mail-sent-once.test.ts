import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOutboxMailJob } from '../../src/jobs/send-outbox-mail.job.js';
import type { MailTransport } from '../../src/mail/transport.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';

// Sending a mail and recording it sent are two steps: a second job for the same mail while the first is between
// them (a job stalled and taken again, the queue filled again from PostgreSQL after a Redis loss while the first
// still sends) must not send it a second time.

type OutgoingMail = Parameters<MailTransport['send']>[0];

describe('an outbox mail is sent once, however many jobs carry it', () => {
  const env = new OperationsEnv('mail-sent-once');
  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('sends it from the first job; a second one at the same time waits for a retry, and the retry finds it sent', async () => {
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

    const first = sendOutboxMailJob({ outboxId: mail.id }, deps);
    await inTheServer;
    await expect(sendOutboxMailJob({ outboxId: mail.id }, deps)).rejects.toMatchObject({
      code: 'mail_in_hand',
    });
    accepted();
    await expect(first).resolves.toEqual({ status: 'sent' });
    await expect(sendOutboxMailJob({ outboxId: mail.id }, deps)).resolves.toEqual({ status: 'already_sent' });
    expect(sent).toHaveLength(1);
    const [row] = await env.outbox();
    expect(row).toMatchObject({ status: 'sent', attempts: 0, smtp_message_id: '<sent@test>' });
  });

  it('lets another job send it when the first one failed', async () => {
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
    await expect(sendOutboxMailJob({ outboxId: mail.id }, failing, { made: 0, max: 3 })).rejects.toThrow(
      'connection reset',
    );
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
    await expect(sendOutboxMailJob({ outboxId: mail.id }, working)).resolves.toEqual({ status: 'sent' });
    expect(sends).toBe(1);
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
    await expect(
      sendOutboxMailJob({ outboxId: mail.id }, transport(true), { made: 0, max: 3 }),
    ).rejects.toThrow();
    await sendOutboxMailJob({ outboxId: mail.id }, transport(false));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^<outbox-\d+\.[0-9a-z]+@hanoi\.gov\.vn>$/);
    expect(ids[1]).toBe(ids[0]);
  });
});
