import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

/** The Sở Tư pháp registration email as another message: a new Message-ID, extra headers on top. */
function variant(id: string, extraHeaders: string[] = []): Buffer {
  const raw = readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml'), 'latin1').replace(
    /^Message-ID: .*$/m,
    `Message-ID: <${id}@hanoi.gov.vn>`,
  );
  return Buffer.from([...extraHeaders, raw].join('\r\n'), 'latin1');
}
const SENDER = 'vanthu_sotp@hanoi.gov.vn';

describe('who gets an acknowledgement', () => {
  const env = new PipelineEnv('rules', {
    TRUSTED_AUTHSERV_ID: 'mx.hanoi.gov.vn',
    ACK_MAX_PER_SENDER_PER_HOUR: '2',
  });
  let oldOne = 0;
  beforeAll(async () => {
    await env.setUp();
    // Mail that was in the inbox before the first start, received long ago.
    oldOne = await env.deliver(variant('old-one'), new Date('2021-07-20T03:00:00Z'));
    env.startPoller();
    env.startWorkers();
  }, 60_000);
  afterAll(() => env.tearDown());

  const ackFor = (id: string) => env.smtp.mails.filter((m) => m.parsed.inReplyTo === `<${id}@hanoi.gov.vn>`);
  const messageState = (id: string) =>
    env.database.db
      .selectFrom('messages')
      .select(['state', 'review_reasons', 'auth_verdict'])
      .where('message_id', '=', `<${id}@hanoi.gov.vn>`)
      .executeTakeFirstOrThrow();

  it('stores old mail found at the first start, but does not answer it', async () => {
    await env.settle([oldOne]);
    expect(await messageState('old-one')).toMatchObject({ state: 'processed' });
    expect(ackFor('old-one')).toHaveLength(0);
  });

  it('keeps mail that fails sender authentication, flags it, and does not answer it', async () => {
    await env.deliverAndSettle(
      variant('spoofed', [
        'Authentication-Results: mx.hanoi.gov.vn; spf=fail smtp.mailfrom=hanoi.gov.vn; dkim=none; dmarc=fail header.from=hanoi.gov.vn',
      ]),
    );
    expect(await messageState('spoofed')).toMatchObject({ state: 'needs_review', auth_verdict: 'fail' });
    expect((await messageState('spoofed')).review_reasons).toContain('spoofing');
    const submission = await env.database.db
      .selectFrom('submissions')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .innerJoin('messages', 'messages.id', 'attachments.message_id')
      .select(['submissions.status'])
      .where('messages.message_id', '=', '<spoofed@hanoi.gov.vn>')
      .executeTakeFirstOrThrow();
    expect(submission.status).toBe('pending_review');
    expect(ackFor('spoofed')).toHaveLength(0);
  });

  it('answers one sender at most ACK_MAX_PER_SENDER_PER_HOUR times an hour', async () => {
    const pass = 'Authentication-Results: mx.hanoi.gov.vn; dkim=pass header.d=hanoi.gov.vn; dmarc=pass';
    for (const id of ['again-1', 'again-2', 'again-3']) await env.deliverAndSettle(variant(id, [pass]));
    await waitFor(() => env.smtp.inbox(SENDER).length >= 2, { what: 'two acknowledgements' });
    // Three messages handled at the same time by two workers: two answered, one not, whichever it is. The one not
    // answered says so itself, and with the pipeline idle no third mail is on its way (the outbox is all sent).
    await waitFor(
      async () =>
        (
          await env.database.db
            .selectFrom('messages')
            .select('id')
            .where(
              'message_id',
              'in',
              ['again-1', 'again-2', 'again-3'].map((id) => `<${id}@hanoi.gov.vn>`),
            )
            .where('no_reply_reason', '=', 'rate_limited')
            .execute()
        ).length === 1,
      { what: 'one of the three to be left unanswered for the cap' },
    );
    await env.waitForIdle();
    expect(env.smtp.inbox(SENDER)).toHaveLength(2);
    expect(['again-1', 'again-2', 'again-3'].map((id) => ackFor(id).length).sort()).toEqual([0, 1, 1]);
  });
});

describe('first start with IMAP_INITIAL_SCAN set to a date', () => {
  const env = new PipelineEnv('initial', { IMAP_INITIAL_SCAN: '2021-07-25' });
  // The mail before that date is never taken: the test waits on the one after it.
  let afterStart = 0;
  beforeAll(async () => {
    await env.setUp();
    await env.deliver(variant('before-start'), new Date('2021-07-20T03:00:00Z'));
    afterStart = await env.deliver(variant('after-start'), new Date('2021-07-26T03:00:00Z'));
    env.startPoller();
    env.startWorkers();
  }, 60_000);
  afterAll(() => env.tearDown());

  it('takes only the mail received since that date', async () => {
    await env.settle([afterStart]);
    const ids = (await env.database.db.selectFrom('messages').select('message_id').execute()).map(
      (m) => m.message_id,
    );
    expect(ids).toEqual(['<after-start@hanoi.gov.vn>']);
  });
});
