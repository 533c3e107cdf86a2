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

/** The same mail with its From field(s) replaced by these. */
function withFrom(raw: Buffer, ...fields: string[]): Buffer {
  const text = raw.toString('latin1');
  const replaced = text.replace(/^From:.*(?:\r?\n[ \t].*)*\r?\n/m, `${fields.join('\r\n')}\r\n`);
  if (replaced === text) throw new Error('no From field to replace');
  return Buffer.from(replaced, 'latin1');
}

// The trace as the office's receiving server leaves it: its own Received on top (it received the mail from a relay),
// and the relay's below it; whatever the mail brought with it stands below those.
const OWN_RECEIVED = `Received: from relay.example.net (relay.example.net [198.51.100.7]) by ${TRUSTED} (Postfix) with ESMTPS id 9F8E for <phongcchc_sonv@hanoi.gov.vn>; Mon, 26 Jul 2021 09:14:06 +0700`;
const RELAY_RECEIVED =
  'Received: from mail.evil.example (mail.evil.example [203.0.113.66]) by relay.example.net (Postfix) with ESMTPS id 1A2B; Mon, 26 Jul 2021 09:14:05 +0700';

describe('a registry address that does not authenticate', () => {
  const env = new PipelineEnv('sendertrust', { TRUSTED_AUTHSERV_ID: TRUSTED });
  beforeAll(async () => {
    await env.start();
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

  // A mail held for a person (as a possible forgery, or with another reason): counted nowhere, answered to nobody.
  const expectHeldAs = async (id: string, reason: string) => {
    const o = await outcome(id);
    expect(o.message.state).toBe('needs_review');
    expect(o.message.review_reasons).toContain(reason);
    expect(o.submissions.length).toBeGreaterThan(0);
    for (const s of o.submissions) {
      expect(s.status).toBe('pending_review');
      expect(s.review_reasons).toContain(reason);
    }
    expect(o.initiatives.length).toBeGreaterThan(0);
    expect(o.initiatives.every((i) => i.status !== 'active')).toBe(true);
    expect(ackFor(id)).toHaveLength(0);
    return o;
  };
  // Each forged mail: held as a possible forgery.
  const expectHeld = async (id: string) => {
    const o = await expectHeldAs(id, 'spoofing');
    expect(o.message.auth_verdict).toBe('fail');
  };

  it('is held when the trusted receiving server says DMARC failed', async () => {
    await env.deliverAndSettle(
      variant('forged-trusted', [
        `Authentication-Results: ${TRUSTED}; spf=fail smtp.mailfrom=vanthu_sotp@hanoi.gov.vn; dkim=none; dmarc=fail (p=reject) header.from=hanoi.gov.vn`,
      ]),
    );
    await expectHeld('forged-trusted');
  });

  it('is held when an unknown server says it failed (a forged fail only hurts its forger)', async () => {
    await env.deliverAndSettle(
      variant('forged-foreign', [
        'Authentication-Results: relay.example.net; spf=softfail smtp.mailfrom=vanthu_sotp@hanoi.gov.vn; dkim=none',
      ]),
    );
    await expectHeld('forged-foreign');
  });

  it('is held when a property of the trusted header spells a DMARC pass', async () => {
    await env.deliverAndSettle(
      variant('forged-hostile', [
        `Authentication-Results: ${TRUSTED}; spf=fail smtp.mailfrom=dmarc=pass@evil.example; dkim=none (dmarc=pass)`,
      ]),
    );
    await expectHeld('forged-hostile');
  });

  it('counts and answers a mail the trusted server passed (its headers merged)', async () => {
    await env.deliverAndSettle(
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

  // A mail whose From is doubtful: held with a reason of its own, counted nowhere, answered to nobody (neither the
  // forger nor the agency whose address it names).
  const expectAmbiguous = async (id: string, forgers: string[]) => {
    const o = await expectHeldAs(id, 'ambiguous_sender');
    expect(env.smtp.inbox(SENDER)).toHaveLength(0);
    for (const forger of forgers) expect(env.smtp.inbox(forger)).toHaveLength(0);
    const kept = await env.database.db
      .selectFrom('messages')
      .select(['no_reply_reason', 'sender_doubt'])
      .where('id', '=', o.message.id)
      .executeTakeFirstOrThrow();
    expect(kept.no_reply_reason).toBe('ambiguous_sender');
    return kept.sender_doubt;
  };

  it("holds a From whose raw address is another domain's, though the trusted server passed that domain", async () => {
    // Read here as the agency's address; the receiving server checked DMARC for evil.example, its owner's pass.
    await env.deliverAndSettle(
      withFrom(
        variant('raw-domain', [
          `Authentication-Results: ${TRUSTED}; spf=pass smtp.mailfrom=bounce@evil.example; dkim=pass header.d=evil.example; dmarc=pass header.from=evil.example`,
        ]),
        'From: <vanthu_sotp@hanoi.gov.vn>@evil.example',
      ),
    );
    expect(await expectAmbiguous('raw-domain', ['bounce@evil.example'])).toBe('address_mismatch');
    expect((await outcome('raw-domain')).message.auth_verdict).toBe('fail');
  });

  it('holds a mail with two From fields, or two mailboxes in one', async () => {
    await env.deliverAndSettle(
      withFrom(
        variant('two-from-fields', [
          `Authentication-Results: ${TRUSTED}; dmarc=permerror header.from=hanoi.gov.vn`,
        ]),
        `From: ${SENDER}`,
        'From: forger@evil.example',
      ),
    );
    expect(await expectAmbiguous('two-from-fields', ['forger@evil.example'])).toBe('several_from_fields');
    await env.deliverAndSettle(
      withFrom(
        variant('two-mailboxes', [`Authentication-Results: ${TRUSTED}; dmarc=permerror`]),
        `From: ${SENDER}, forger@evil.example`,
      ),
    );
    expect(await expectAmbiguous('two-mailboxes', ['forger@evil.example'])).toBe('several_mailboxes');
  });

  it("holds as a possible forgery a trusted DMARC pass about another domain than the From's", async () => {
    await env.deliverAndSettle(
      variant('misaligned-pass', [
        `Authentication-Results: ${TRUSTED}; spf=pass smtp.mailfrom=x@evil.example; dmarc=pass header.from=evil.example`,
      ]),
    );
    await expectHeld('misaligned-pass');
    expect(env.smtp.inbox(SENDER)).toHaveLength(0);
    expect(env.smtp.inbox('x@evil.example')).toHaveLength(0);
  });

  it('is not believed when another server claims a pass, nor when its signature is not of the From domain', async () => {
    await env.deliverAndSettle(
      variant('claimed-pass', [
        `Authentication-Results: ${TRUSTED}; spf=pass smtp.mailfrom=bounce@evil.example; dkim=pass header.d=evil.example`,
        'Authentication-Results: evil.example; dmarc=pass header.from=hanoi.gov.vn',
      ]),
    );
    expect((await outcome('claimed-pass')).message.auth_verdict).toBe('none');
  });

  it("is held as unverified, not as a forgery, when the trusted server's check ended in an error", async () => {
    await env.deliverAndSettle(
      variant('temperror', [
        `Authentication-Results: ${TRUSTED}; spf=temperror smtp.mailfrom=${SENDER}; dmarc=temperror header.from=hanoi.gov.vn`,
      ]),
    );
    const message = await env.database.db
      .selectFrom('messages')
      .select(['id', 'state', 'review_reasons', 'auth_verdict', 'sender_doubt'])
      .where('message_id', '=', '<temperror@hanoi.gov.vn>')
      .executeTakeFirstOrThrow();
    expect(message).toMatchObject({
      state: 'needs_review',
      auth_verdict: 'none',
      sender_doubt: 'auth_error',
    });
    expect(message.review_reasons).toContain('unverified_sender');
    expect(message.review_reasons).not.toContain('spoofing');
    const submissions = await env.database.db
      .selectFrom('submissions')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .select(['submissions.status', 'submissions.review_reasons'])
      .where('attachments.message_id', '=', message.id)
      .execute();
    expect(submissions.length).toBeGreaterThan(0);
    for (const s of submissions) {
      expect(s.status).toBe('pending_review');
      expect(s.review_reasons).toContain('unverified_sender');
    }
  });
});

describe('SENDER_AUTH=strict', () => {
  const env = new PipelineEnv('senderstrict', { TRUSTED_AUTHSERV_ID: TRUSTED, SENDER_AUTH: 'strict' });
  beforeAll(async () => {
    await env.start();
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
    await env.deliverAndSettle(
      variant(
        'proven',
        [`Authentication-Results: ${TRUSTED}; spf=pass smtp.mailfrom=vanthu@sotttt.hanoi.gov.vn`],
        '08-so-tttt-dang-ky.eml',
      ),
    );
    const unproven = await submissionOf('unproven');
    expect(unproven.status).toBe('pending_review');
    expect(unproven.review_reasons).toContain('unverified_sender');
    expect(unproven.review_reasons).not.toContain('spoofing');
    expect(await submissionOf('proven')).toMatchObject({ status: 'active' });
  });

  const verdictOf = async (id: string) =>
    (
      await env.database.db
        .selectFrom('messages')
        .select('auth_verdict')
        .where('message_id', '=', `<${id}@hanoi.gov.vn>`)
        .executeTakeFirstOrThrow()
    ).auth_verdict;

  it("changes nothing with a pass in the trusted server's name written below a relay's Received", async () => {
    // The sender wrote it: everything below the relay's Received came with the mail.
    await env.deliverAndSettle(
      variant('below-relay', [
        OWN_RECEIVED,
        RELAY_RECEIVED,
        `Authentication-Results: ${TRUSTED}; dkim=pass header.d=hanoi.gov.vn; dmarc=pass header.from=hanoi.gov.vn`,
      ]),
    );
    expect(await verdictOf('below-relay')).toBe('none');
    // As the same mail without it ('unproven'): held as unproven, not as a forgery, and not counted.
    const held = await submissionOf('below-relay');
    expect(held.status).toBe('pending_review');
    expect(held.review_reasons).toContain('unverified_sender');
    expect(held.review_reasons).not.toContain('spoofing');
  });

  it("keeps the pass of a result just below the trusted server's own Received (as milters on Postfix place it)", async () => {
    await env.deliverAndSettle(
      variant(
        'below-own',
        [
          OWN_RECEIVED,
          `Authentication-Results: ${TRUSTED}; dkim=pass header.d=hanoi.gov.vn; dmarc=pass header.from=hanoi.gov.vn`,
          RELAY_RECEIVED.replace('mail.evil.example', 'mail.hanoi.gov.vn'),
        ],
        '02-huyen-thanh-tri-scan-va-word.eml',
      ),
    );
    expect(await verdictOf('below-own')).toBe('pass');
    expect(await submissionOf('below-own')).toMatchObject({ status: 'active' });
  });
});

describe('a mail over the size limit (only its header block is read)', () => {
  const env = new PipelineEnv('sendertoolarge', { TRUSTED_AUTHSERV_ID: TRUSTED, MAX_MESSAGE_BYTES: '5000' });
  beforeAll(async () => {
    await env.start();
  }, 60_000);
  afterAll(() => env.tearDown());

  const ackFor = (id: string) => env.smtp.mails.filter((m) => m.parsed.inReplyTo === `<${id}@hanoi.gov.vn>`);
  const stored = (id: string) =>
    env.database.db
      .selectFrom('messages')
      .select(['state', 'reject_reason', 'auth_verdict', 'sender_doubt', 'no_reply_reason'])
      .where('message_id', '=', `<${id}@hanoi.gov.vn>`)
      .executeTakeFirstOrThrow();

  it('tells its sender the limit, but not the address a forged or ambiguous From names', async () => {
    await env.deliverAndSettle(variant('big-plain', []));
    expect(await stored('big-plain')).toMatchObject({ state: 'rejected', reject_reason: 'too_large' });
    expect(ackFor('big-plain')).toHaveLength(1);

    await env.deliverAndSettle(
      withFrom(
        variant('big-ambiguous', [`Authentication-Results: ${TRUSTED}; dmarc=pass header.from=evil.example`]),
        'From: <vanthu_sotp@hanoi.gov.vn>@evil.example',
      ),
    );
    expect(await stored('big-ambiguous')).toMatchObject({
      state: 'rejected',
      sender_doubt: 'address_mismatch',
      no_reply_reason: 'ambiguous_sender',
    });
    await env.deliverAndSettle(
      variant('big-forged', [`Authentication-Results: ${TRUSTED}; dmarc=fail header.from=hanoi.gov.vn`]),
    );
    expect(await stored('big-forged')).toMatchObject({
      state: 'rejected',
      auth_verdict: 'fail',
      no_reply_reason: 'authentication_failed',
    });
    expect(ackFor('big-ambiguous')).toHaveLength(0);
    expect(ackFor('big-forged')).toHaveLength(0);
    expect(env.smtp.inbox(SENDER)).toHaveLength(1);
  });
});
