import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';

/** A registration from a registry address (Sở Tư pháp unless said) as another message, with headers on top. */
function variant(id: string, extraHeaders: string[], file = '01-so-tu-phap-dang-ky.eml'): Buffer {
  const raw = readFileSync(fixture('emails', file), 'latin1').replace(
    /^Message-ID: .*$/m,
    `Message-ID: <${id}@hanoi.gov.vn>`,
  );
  return Buffer.from([...extraHeaders, raw].join('\r\n'), 'latin1');
}
const SENDER = 'vanthu_sotp@hanoi.gov.vn';
const TRUSTED = 'mx.hanoi.gov.vn';

describe('a registry address that does not authenticate', () => {
  const env = new PipelineEnv('sendertrust', { TRUSTED_AUTHSERV_ID: TRUSTED });
  beforeAll(async () => {
    await env.setUp();
    env.startPoller();
    env.startWorkers();
  }, 60_000);
  afterAll(() => env.tearDown());

  const ackFor = (id: string) => env.smtp.mails.filter((m) => m.parsed.inReplyTo === `<${id}@hanoi.gov.vn>`);
  const outcome = async (id: string) => {
    const db = env.database.db;
    const message = await db
      .selectFrom('messages')
      .select(['id', 'state', 'review_reasons', 'auth_verdict'])
      .where('message_id', '=', `<${id}@hanoi.gov.vn>`)
      .executeTakeFirstOrThrow();
    const submissions = await db
      .selectFrom('submissions')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .select(['submissions.id', 'submissions.status', 'submissions.review_reasons'])
      .where('attachments.message_id', '=', message.id)
      .execute();
    const initiatives = await db
      .selectFrom('initiatives')
      .select(['status'])
      .where(
        'submission_id',
        'in',
        submissions.map((s) => s.id),
      )
      .execute();
    return { message, submissions, initiatives };
  };

  // Each forged mail: held as a possible forgery, counted nowhere, answered to nobody.
  const expectHeld = async (id: string) => {
    const o = await outcome(id);
    expect(o.message).toMatchObject({ state: 'needs_review', auth_verdict: 'fail' });
    expect(o.message.review_reasons).toContain('spoofing');
    expect(o.submissions.length).toBeGreaterThan(0);
    for (const s of o.submissions) {
      expect(s.status).toBe('pending_review');
      expect(s.review_reasons).toContain('spoofing');
    }
    expect(o.initiatives.length).toBeGreaterThan(0);
    expect(o.initiatives.every((i) => i.status !== 'active')).toBe(true);
    expect(ackFor(id)).toHaveLength(0);
  };

  it('is held when the trusted receiving server says DMARC failed', async () => {
    await env.deliver(
      variant('forged-trusted', [
        `Authentication-Results: ${TRUSTED}; spf=fail smtp.mailfrom=vanthu_sotp@hanoi.gov.vn; dkim=none; dmarc=fail (p=reject) header.from=hanoi.gov.vn`,
      ]),
    );
    await env.waitForIdle(1);
    await expectHeld('forged-trusted');
  });

  it('is held when an unknown server says it failed (a forged fail only hurts its forger)', async () => {
    await env.deliver(
      variant('forged-foreign', [
        'Authentication-Results: relay.example.net; spf=softfail smtp.mailfrom=vanthu_sotp@hanoi.gov.vn; dkim=none',
      ]),
    );
    await env.waitForIdle(2);
    await expectHeld('forged-foreign');
  });

  it('is held when a property of the trusted header spells a DMARC pass', async () => {
    await env.deliver(
      variant('forged-hostile', [
        `Authentication-Results: ${TRUSTED}; spf=fail smtp.mailfrom=dmarc=pass@evil.example; dkim=none (dmarc=pass)`,
      ]),
    );
    await env.waitForIdle(3);
    await expectHeld('forged-hostile');
  });

  it('counts and answers a mail the trusted server passed (its headers merged)', async () => {
    await env.deliver(
      variant(
        'genuine',
        [
          `Authentication-Results: ${TRUSTED}; dkim=pass (2048-bit key) header.d=hanoi.gov.vn header.s=mail`,
          `Authentication-Results: ${TRUSTED}; dmarc=pass (p=quarantine) header.from=hanoi.gov.vn`,
          'Authentication-Results: relay.example.net; spf=pass smtp.mailfrom=vanthu_sotp@hanoi.gov.vn',
        ],
        // Another agency's form: identical content would make it a copy of a held one (a separate rule).
        '08-so-tttt-dang-ky.eml',
      ),
    );
    await env.waitForIdle(4);
    const o = await outcome('genuine');
    expect(o.message.auth_verdict).toBe('pass');
    expect(o.message.review_reasons).not.toContain('spoofing');
    expect(o.submissions.map((s) => s.status)).toContain('active');
    expect(o.initiatives.some((i) => i.status === 'active')).toBe(true);
    expect(ackFor('genuine')).toHaveLength(1);
    // The forged mails, held, were answered to nobody: the forged agency's address heard nothing.
    for (const id of ['forged-trusted', 'forged-foreign', 'forged-hostile'])
      expect(ackFor(id)).toHaveLength(0);
    expect(env.smtp.inbox(SENDER)).toHaveLength(0);
  });

  it('is not believed when another server claims a pass, nor when its signature is not of the From domain', async () => {
    await env.deliver(
      variant('claimed-pass', [
        `Authentication-Results: ${TRUSTED}; spf=pass smtp.mailfrom=bounce@evil.example; dkim=pass header.d=evil.example`,
        'Authentication-Results: evil.example; dmarc=pass header.from=hanoi.gov.vn',
      ]),
    );
    await env.waitForIdle(5);
    expect((await outcome('claimed-pass')).message.auth_verdict).toBe('none');
  });
});

describe('SENDER_AUTH=strict', () => {
  const env = new PipelineEnv('senderstrict', { TRUSTED_AUTHSERV_ID: TRUSTED, SENDER_AUTH: 'strict' });
  beforeAll(async () => {
    await env.setUp();
    env.startPoller();
    env.startWorkers();
  }, 60_000);
  afterAll(() => env.tearDown());

  const submissionOf = (id: string) =>
    env.database.db
      .selectFrom('submissions')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .innerJoin('messages', 'messages.id', 'attachments.message_id')
      .select(['submissions.status', 'submissions.review_reasons'])
      .where('messages.message_id', '=', `<${id}@hanoi.gov.vn>`)
      .executeTakeFirstOrThrow();

  it('holds a registry address that proves nothing, and counts one the trusted server passed', async () => {
    await env.deliver(variant('unproven', []));
    await env.deliver(
      variant(
        'proven',
        [`Authentication-Results: ${TRUSTED}; spf=pass smtp.mailfrom=vanthu@sotttt.hanoi.gov.vn`],
        '08-so-tttt-dang-ky.eml',
      ),
    );
    await env.waitForIdle(2);
    const unproven = await submissionOf('unproven');
    expect(unproven.status).toBe('pending_review');
    expect(unproven.review_reasons).toContain('unverified_sender');
    expect(unproven.review_reasons).not.toContain('spoofing');
    expect(await submissionOf('proven')).toMatchObject({ status: 'active' });
  });
});
