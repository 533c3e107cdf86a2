import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMessage } from '../../src/imap/ingest-message.js';
import { parseIncomingMessage } from '../../src/mail/incoming-message.js';
import { folderCounts } from '../helpers/imap.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

describe('limits and messages that cannot be stored', () => {
  // 100 KB: the scan-and-Word email (about 400 KB) is over it, the others are under.
  const env = new PipelineEnv('limits', { MAX_MESSAGE_BYTES: '100000' });
  const poison = '<1627265645.2231.stp@hanoi.gov.vn>'; // 01-so-tu-phap-dang-ky.eml
  let attempts = 0;

  beforeAll(async () => {
    await env.setUp();
    // Storing this one message fails every time (as a bug in the parser of some exotic email would).
    const { MailboxPoller } = await import('../../src/imap/poller.js');
    env.poller = new MailboxPoller(
      {
        ...env.runtime,
        ingest: async (deps, raw, at) => {
          if ((await parseIncomingMessage(raw)).messageId === poison) {
            attempts++;
            throw new Error('cannot store this message');
          }
          return ingestMessage(deps, raw, at);
        },
      },
      { lockTtlMs: 3000 },
    );
    env.poller.start();
    env.startWorkers();
  }, 60_000);
  afterAll(() => env.tearDown());

  it('keeps an oversized message without downloading it, moves it aside and tells the sender the limit', async () => {
    await env.deliverAndSettle(readFileSync(fixture('emails', '02-huyen-thanh-tri-scan-va-word.eml')));
    const msg = await env.database.db.selectFrom('messages').selectAll().executeTakeFirstOrThrow();
    expect(msg).toMatchObject({
      state: 'rejected',
      reject_reason: 'too_large',
      raw: null,
      from_address: 'vanthu_thanhtri@hanoi.gov.vn',
    });
    expect(msg.raw_size).toBeGreaterThan(100_000);
    const mail = await waitFor(() => env.smtp.inbox('vanthu_thanhtri@hanoi.gov.vn')[0], {
      what: 'the reply',
    });
    expect(mail.parsed.subject).toContain('vượt quá dung lượng');
    expect(mail.parsed.text).toContain('vượt quá giới hạn 97,7 KB');
    expect((await folderCounts(env.imap, ['Needs review']))['Needs review']).toBe(1);
  });

  it('sets aside a message that fails three times, instead of fetching it forever', async () => {
    const uids = await env.deliverAll([
      readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml')),
      readFileSync(fixture('emails', '04-quan-long-bien-tra-loi.eml')),
    ]);
    const failure = await waitFor(
      () =>
        env.database.db
          .selectFrom('imap_failures')
          .selectAll()
          .where('set_aside_at', 'is not', null)
          .executeTakeFirst(),
      { what: 'the failing message to be set aside' },
    );
    expect(failure.attempts).toBe(3);
    expect(failure.last_error).toContain('cannot store this message');
    // The message after it was not held up.
    await env.settle(uids);
    const counts = await folderCounts(env.imap, ['INBOX', 'Processed', 'Needs review']);
    expect(counts).toEqual({ INBOX: 0, Processed: 1, 'Needs review': 2 });
    // And it is not tried again: a later pass, the one that takes the next mail, leaves it alone.
    const before = attempts;
    await env.deliverAndSettle(readFileSync(fixture('emails', '06-tx-son-tay-quen-dinh-kem.eml')));
    expect(attempts).toBe(before);
  });
});
