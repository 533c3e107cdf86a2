import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImapClient } from '../../src/imap/imap-client.js';
import { ingestMessage, MessageNotStorable } from '../../src/imap/ingest-message.js';
import { MailboxPoller } from '../../src/imap/poller.js';
import { folderCounts } from '../helpers/imap.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { mailWithFiles } from '../helpers/poison-mail.js';
import { waitFor } from '../helpers/wait-for.js';

const id = (n: string) => `<poller-${n}@example.org>`;
const mail = (n: string) =>
  mailWithFiles({ messageId: id(n) }, [{ filename: `${n}.docx`, content: Buffer.from(n) }]);
const messageIdOf = (raw: Buffer) =>
  /^Message-ID: (\S+)/im.exec(raw.subarray(0, 4096).toString('latin1'))?.[1];

describe('the poller and a message that cannot be stored', () => {
  const env = new PipelineEnv('poison-poller', { IMAP_POLL_INTERVAL_SECONDS: '1' });
  let connections = 0;
  let flakyTries = 0;

  beforeAll(async () => {
    await env.setUp();
    env.poller = new MailboxPoller(
      {
        ...env.runtime,
        createClient: (config) => {
          connections++;
          return createImapClient(config);
        },
        ingest: async (deps, raw, at) => {
          const messageId = messageIdOf(raw);
          // Even the reduced form refused: nothing to gain from trying again.
          if (messageId === id('unstorable'))
            throw new MessageNotStorable(
              'message_not_storable',
              'the message cannot be stored, even reduced',
            );
          // A data error from PostgreSQL (a NUL in text) reaching the poller.
          if (messageId === id('data-error'))
            throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
              code: '22021',
            });
          // The MIME reader throws on this one.
          if (messageId === id('unreadable'))
            return ingestMessage(
              {
                ...deps,
                read: async () => {
                  throw new RangeError('Max allowed child nodes exceeded');
                },
              },
              raw,
              at,
            );
          // Fails once for no reason the poller understands, then stores.
          if (messageId === id('flaky') && flakyTries++ === 0) throw new Error('something odd happened');
          return ingestMessage(deps, raw, at);
        },
      },
      { lockTtlMs: 3000 },
    );
    for (const n of ['unstorable', 'data-error', 'unreadable', 'flaky']) await env.deliver(mail(n));
    await env.deliver(readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml')));
    env.poller.start();
    env.startWorkers();
  }, 60_000);
  afterAll(() => env.tearDown());

  it('answers the good registration after them', async () => {
    const ack = await waitFor(() => env.smtp.inbox('vanthu_sotp@hanoi.gov.vn')[0], {
      timeoutMs: 60_000,
      what: 'the acknowledgement',
    });
    expect(ack.parsed.inReplyTo).toBe('<1627265645.2231.stp@hanoi.gov.vn>');
  }, 90_000);

  it('sets a message aside at once when its content is the cause, and retries any other failure later', async () => {
    await waitFor(async () => (await folderCounts(env.imap, ['INBOX'])).INBOX === 0 && flakyTries >= 2, {
      timeoutMs: 30_000,
      what: 'the inbox to empty',
    });
    const failures = await env.database.db
      .selectFrom('imap_failures')
      .select(['uid', 'attempts', 'set_aside_at', 'last_error'])
      .orderBy('uid')
      .execute();
    expect(failures.map((f) => ({ attempts: f.attempts, setAside: f.set_aside_at !== null }))).toEqual([
      { attempts: 1, setAside: true }, // unstorable
      { attempts: 1, setAside: true }, // data error
      { attempts: 1, setAside: false }, // flaky: stored on the next pass
    ]);
    const flaky = await env.database.db
      .selectFrom('messages')
      .select('state')
      .where('message_id', '=', id('flaky'))
      .executeTakeFirst();
    expect(flaky).toBeDefined();
    expect((await folderCounts(env.imap, ['Needs review']))['Needs review']).toBeGreaterThanOrEqual(3);
    // No pass was given up: one connection all along, so no reconnect back-off.
    expect(connections).toBe(1);
  }, 45_000);

  it('keeps a mail the reader gives up on as raw bytes for review, unanswered', async () => {
    const row = await env.database.db
      .selectFrom('messages')
      .select(['state', 'review_reasons', 'no_reply_reason', 'raw', 'last_error', 'message_id'])
      .where(sql<boolean>`'unreadable_message' = any(review_reasons)`)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: 'needs_review',
      no_reply_reason: 'unreadable_message',
      message_id: null,
      last_error: 'Max allowed child nodes exceeded',
    });
    expect(row.raw?.equals(mail('unreadable'))).toBe(true);
  });
});
