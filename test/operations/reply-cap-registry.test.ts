import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutbox } from '../../src/db/outbox.repository.js';
import { acknowledgeMessageJob } from '../../src/jobs/acknowledge-message.job.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';

// A registry sender's answers are capped per address and hour (ACK_MAX_PER_SENDER_PER_HOUR); the mail is counted
// and added (or not) by one statement under the address's lock.

describe('the cap on answers to one registered address', () => {
  const env = new OperationsEnv('reply-cap-registry', { ACK_MAX_PER_SENDER_PER_HOUR: '2' });
  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  const again = (n: number) =>
    Buffer.from(
      readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml'), 'latin1').replace(
        /^Message-ID: .*$/m,
        `Message-ID: <again-${n}@hanoi.gov.vn>`,
      ),
      'latin1',
    );

  it('answers up to the cap, then leaves the rest unanswered with the reason and no row in the outbox', async () => {
    for (let n = 1; n <= 3; n++) await env.receive(again(n));
    const outbox = await env.outbox();
    expect(outbox.map((o) => o.kind)).toEqual(['acknowledgement', 'acknowledgement']);
    expect(outbox.every((o) => o.recipient_key === 'vanthu_sotp@hanoi.gov.vn')).toBe(true);
    const third = await env.db
      .selectFrom('messages')
      .select('no_reply_reason')
      .where('message_id', '=', '<again-3@hanoi.gov.vn>')
      .executeTakeFirstOrThrow();
    expect(third.no_reply_reason).toBe('rate_limited');
    // Run again, an answered message's acknowledgement is the one in the outbox, not a new one.
    const first = await env.db
      .selectFrom('messages')
      .select('id')
      .where('message_id', '=', '<again-1@hanoi.gov.vn>')
      .executeTakeFirstOrThrow();
    await expect(acknowledgeMessageJob({ messageId: first.id }, env.deps)).resolves.toMatchObject({
      status: 'sent',
      outboxId: outbox[0]?.id,
    });
    expect(await env.outbox()).toHaveLength(2);
  });

  it('lets no two workers slip under the cap at once', async () => {
    const since = new Date(Date.now() - 60_000);
    const mail = (n: number) => ({
      kind: 'acknowledgement' as const,
      dedupe_key: `cap-race-${n}`,
      to_addresses: ['race@phuong.hanoi.gov.vn'],
      subject: `race ${n}`,
      html: '<p>race</p>',
      text: 'race',
      headers: '{}',
    });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        enqueueOutbox(env.db, mail(n), [], { recipient: { key: 'race@phuong.hanoi.gov.vn', since, max: 3 } }),
      ),
    );
    expect(outcomes.filter((o) => 'limited' in o)).toHaveLength(5);
    const rows = (await env.outbox()).filter((o) => o.recipient_key === 'race@phuong.hanoi.gov.vn');
    expect(rows).toHaveLength(3);
    // The same mails again: the three added are found, not added twice nor refused; the rest stay over the cap.
    const again = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        enqueueOutbox(env.db, mail(n), [], { recipient: { key: 'race@phuong.hanoi.gov.vn', since, max: 3 } }),
      ),
    );
    const found = again.flatMap((o) => ('id' in o ? [o] : []));
    expect(found.map((o) => o.created)).toEqual([false, false, false]);
    expect(found.map((o) => o.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('adds an answer with its files (a blank form), byte for byte, in the same statement', async () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));
    const queued = await enqueueOutbox(
      env.db,
      {
        kind: 'acknowledgement',
        dedupe_key: 'cap-files-1',
        to_addresses: ['files@phuong.hanoi.gov.vn'],
        subject: 'files',
        html: '<p>files</p>',
        text: 'files',
        headers: JSON.stringify({ 'Auto-Submitted': 'auto-replied' }),
      },
      [{ filename: 'Biểu đăng ký.docx', contentType: 'application/octet-stream', bytes }],
      { recipient: { key: 'files@phuong.hanoi.gov.vn', since: new Date(Date.now() - 60_000), max: 3 } },
    );
    if (!('id' in queued)) throw new Error('the answer was refused');
    const files = await env.db
      .selectFrom('outbox_attachments')
      .select(['filename', 'content_type', 'bytes'])
      .where('outbox_id', '=', queued.id)
      .execute();
    expect(files).toEqual([
      { filename: 'Biểu đăng ký.docx', content_type: 'application/octet-stream', bytes },
    ]);
    const row = await env.db
      .selectFrom('outbox')
      .select('headers')
      .where('id', '=', queued.id)
      .executeTakeFirstOrThrow();
    expect(row.headers).toEqual({ 'Auto-Submitted': 'auto-replied' });
  });
});
