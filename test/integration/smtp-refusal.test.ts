import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { enqueueOutbox } from '../../src/db/outbox.repository.js';
import { createMailTransport, type MailTransport } from '../../src/mail/transport.js';
import { retryFailedMail, type SendDeps, sendDueMail } from '../../src/registry/letters/send-due-mail.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { outboxAttempts } from '../helpers/outbox-reads.js';

// A mail server that refuses one mailbox for good (550), another for now (451), and takes the rest.
function refusingServer(): SMTPServer {
  return new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('gone@')) {
        return callback(
          Object.assign(new Error('5.1.1 <gone@example.vn>: mailbox unknown'), { responseCode: 550 }),
        );
      }
      if (address.address.startsWith('busy@')) {
        return callback(Object.assign(new Error('4.2.1 try again later'), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
}

describe('a mail the SMTP server refuses', () => {
  let database: TestDatabase;
  let server: SMTPServer;
  let transport: MailTransport;
  let deps: SendDeps;

  beforeAll(async () => {
    database = await createTestDatabase('smtprefusal');
    server = refusingServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
    const config = loadConfig({ DATABASE_URL: database.url, SMTP_PORT: String(port), LOG_LEVEL: 'silent' });
    transport = createMailTransport(config);
    deps = {
      config,
      db: database.db,
      transport,
      log: pino({ level: 'silent' }),
      clock: { now: () => new Date() },
    };
  });
  afterAll(async () => {
    transport?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await database?.drop();
  });

  const outbox = async (to: string) => {
    const r = await enqueueOutbox(database.db, {
      kind: 'notice',
      dedupe_key: `test:${to}`,
      to_addresses: [to],
      subject: 'Thông báo',
      html: '<p>Xin chào</p>',
      text: 'Xin chào',
    });
    if (!('id' in r)) throw new Error('not queued');
    return r.id;
  };
  const row = (id: string) => outboxAttempts(database.db, id);

  it('for good (5xx): fails at once, not retried, with the server answer kept for operators', async () => {
    const id = await outbox('gone@example.vn');
    await expect(sendDueMail(deps, 10)).resolves.toEqual({ sent: 0, retry: [], failed: 1, inHand: [] });
    const r = await row(id);
    expect(r.status).toBe('failed');
    expect(r.attempts).toBe(1);
    expect(r.last_error).toContain('550');
    expect(r.last_error).toContain('mailbox unknown');
    // Never due again, unless an operator asks (retry-failed): then tried once more, and refused again.
    await expect(sendDueMail(deps, 10)).resolves.toEqual({ sent: 0, retry: [], failed: 0, inHand: [] });
    expect(await retryFailedMail(database.db)).toBe(1);
    await expect(sendDueMail(deps, 10)).resolves.toEqual({ sent: 0, retry: [], failed: 1, inHand: [] });
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('for now (4xx): stays pending and is tried again when its time comes', async () => {
    const id = await outbox('busy@example.vn');
    const first = await sendDueMail(deps, 10);
    expect(first).toMatchObject({ sent: 0, failed: 0 });
    expect(first.retry).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1 });
    await database.db
      .updateTable('outbox')
      .set({ next_attempt_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    expect((await sendDueMail(deps, 10)).retry).toHaveLength(1);
    const r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 2 });
    expect(r.last_error).toContain('451');
  });

  it('is sent when the server takes it', async () => {
    const id = await outbox('vanphong@example.vn');
    await expect(sendDueMail(deps, 10)).resolves.toMatchObject({ sent: 1, failed: 0 });
    expect((await row(id)).status).toBe('sent');
  });
});
