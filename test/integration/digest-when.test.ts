import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDigestJob } from '../../src/jobs/send-digest.job.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';

// The scheduled staff digest at 17:00 in Hanoi on successive days of the 2021 campaign.
const at = (day: string) => new Date(`${day}T10:00:00Z`);

describe('the staff digest (DIGEST_WHEN)', () => {
  const env = new PipelineEnv('digest-when', { STAFF_EMAILS: 'cchc-staff@hanoi.gov.vn' });
  const db = () => env.database.db;
  beforeAll(() => env.setUp(), 60_000);
  afterAll(() => env.tearDown());

  const digests = async () =>
    Number(
      (
        await db()
          .selectFrom('outbox')
          .select(sql<number>`count(*)`.as('n'))
          .where('kind', '=', 'digest')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const always = () => ({
    ...env.runtime,
    config: { ...env.runtime.config, DIGEST_WHEN: 'always' as const },
  });

  /** A mail from an agency, stored as the poller would; `form` also records it as a registration. */
  async function arrives(code: string, form: boolean, state: 'processed' | 'needs_review' = 'processed') {
    const agency = await db()
      .selectFrom('agencies')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    const message = await db()
      .insertInto('messages')
      .values({
        mailbox: 'INBOX',
        uidvalidity: 1,
        uid: Math.floor(Math.random() * 1e9),
        raw_sha256: 'c'.repeat(64),
        raw_size: 1,
        message_id: `<${code}-${Math.random()}@x>`,
        from_address: `vanthu@${code}.example`,
        subject: 'Biểu đăng ký sáng kiến',
        agency_id: agency.id,
        state: state === 'needs_review' ? 'needs_review' : 'processed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (!form) return message.id;
    const attachment = await db()
      .insertInto('attachments')
      .values({
        message_id: message.id,
        part: '1',
        filename: 'dang-ky.docx',
        content_type: 'x',
        size: 1,
        sha256: 'd'.repeat(64),
        bytes: Buffer.from('x'),
        state: 'parsed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const campaign = await db().selectFrom('campaigns').select('id').executeTakeFirstOrThrow();
    await db()
      .insertInto('submissions')
      .values({
        reference: `R-${attachment.id}`,
        campaign_id: campaign.id,
        agency_id: agency.id,
        attachment_id: attachment.id,
        kind: 'registration',
        received_at: new Date(),
      })
      .execute();
    return message.id;
  }

  it('stays away on a day with nothing new and nothing waiting, unless set to always', async () => {
    expect(env.runtime.config.DIGEST_WHEN).toBe('changes');
    expect(await sendDigestJob(env.runtime, at('2021-07-19'))).toEqual({ queued: false });
    expect(await digests()).toBe(0);
    expect(await sendDigestJob(always(), at('2021-07-19'))).toEqual({ queued: true });
    expect(await sendDigestJob(env.runtime, at('2021-07-20'))).toEqual({ queued: false });
    expect(await digests()).toBe(1);
  });

  it('goes out on a day a form arrived, once, and not the next day when nothing more came', async () => {
    await arrives('so-tu-phap', true);
    expect(await sendDigestJob(env.runtime, at('2021-07-21'))).toEqual({ queued: true });
    expect(await sendDigestJob(env.runtime, at('2021-07-21'))).toEqual({ queued: false });
    expect(await sendDigestJob(env.runtime, at('2021-07-22'))).toEqual({ queued: false });
    expect(await digests()).toBe(2);
  });

  it('goes out every day something waits for a person, until it is dealt with', async () => {
    const held = await arrives('so-y-te', false, 'needs_review');
    expect(await sendDigestJob(env.runtime, at('2021-07-23'))).toEqual({ queued: true });
    expect(await sendDigestJob(env.runtime, at('2021-07-26'))).toEqual({ queued: true });
    await db().updateTable('messages').set({ state: 'processed' }).where('id', '=', held).execute();
    expect(await sendDigestJob(env.runtime, at('2021-07-27'))).toEqual({ queued: false });
    expect(await digests()).toBe(4);
  });

  it('always goes out when asked for on demand', async () => {
    expect(await sendDigestJob(env.runtime, at('2021-07-27'), 'digest-on-demand-test')).toEqual({
      queued: true,
    });
  });
});
