import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailWith, registrationDocx } from '../helpers/form-mail.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';

// Whom the office answers: the From address only, and strangers within caps, so that the inbox cannot be used to
// send mail to anyone.

describe('whom the office answers', () => {
  const env = new PipelineEnv('replies', {
    ACK_MAX_PER_UNKNOWN_ADDRESS_PER_DAY: '2',
    ACK_MAX_UNKNOWN_PER_HOUR: '4',
  });
  // The UIDs of the mails delivered so far: each test waits on its own (and the earlier ones, long settled).
  const delivered: number[] = [];
  const deliver = async (raw: Buffer) => {
    delivered.push(await env.deliver(raw));
  };
  let form: Buffer;
  beforeAll(async () => {
    await env.setUp();
    form = await registrationDocx(
      ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ Y TẾ'],
      [{ title: 'Đặt lịch khám bệnh trực tuyến' }],
    );
    env.startPoller();
    env.startWorkers();
  }, 60_000);
  afterAll(() => env.tearDown());

  it('answers the From address, never a Reply-To elsewhere, and keeps the Reply-To for staff', async () => {
    await deliver(
      mailWith({
        from: 'vanthu_soyt@hanoi.gov.vn',
        subject: 'Đăng ký sáng kiến',
        id: 'reply-to-victim',
        headers: ['Reply-To: victim@example.com'],
        files: [{ name: 'dk.docx', bytes: form }],
      }),
    );
    await env.settle(delivered);
    expect(env.smtp.inbox('vanthu_soyt@hanoi.gov.vn')).toHaveLength(1);
    expect(env.smtp.inbox('victim@example.com')).toHaveLength(0);
    const stored = await env.database.db
      .selectFrom('messages')
      .select('reply_to')
      .where('message_id', '=', '<reply-to-victim@test.example>')
      .executeTakeFirstOrThrow();
    expect(stored.reply_to).toBe('victim@example.com');
  });

  it('tells a stranger only what happened to the files, each by its name: not their subject, titles or any standing', async () => {
    await deliver(
      mailWith({
        from: 'unknown.clerk@yahoo.com',
        subject: 'Tiêu đề lạ XYZ',
        id: 'stranger-form',
        files: [{ name: 'Ten tep la.docx', bytes: form }],
      }),
    );
    await env.settle(delivered);
    const [reply] = env.smtp.inbox('unknown.clerk@yahoo.com');
    expect(reply).toBeDefined();
    const all = `${reply?.parsed.subject} ${reply?.parsed.text} ${reply?.parsed.html}`;
    expect(all).not.toMatch(/Tiêu đề lạ|Đặt lịch khám bệnh|Sở Y tế đã đăng ký/);
    expect(reply?.parsed.text).toContain('* Ten tep la.docx');
  });

  it('stops a flood of strangers at the caps, and says on each message why it was not answered', async () => {
    // Three mails from one stranger: two answered (the daily cap per address).
    for (const n of [1, 2, 3]) {
      await deliver(
        mailWith({ from: 'stranger@gmail.com', subject: `Thư ${n}`, id: `one-stranger-${n}`, files: [] }),
      );
    }
    await env.settle(delivered);
    expect(env.smtp.inbox('stranger@gmail.com')).toHaveLength(2);
    // Many strangers: all of them together get at most the hourly cap (4; three already used above).
    for (const n of [1, 2, 3, 4, 5]) {
      await deliver(
        mailWith({ from: `nguoi${n}@gmail.com`, subject: 'Xin chào', id: `many-${n}`, files: [] }),
      );
    }
    await env.settle(delivered);
    const answered = [1, 2, 3, 4, 5].filter((n) => env.smtp.inbox(`nguoi${n}@gmail.com`).length > 0);
    expect(answered).toHaveLength(1);
    const notAnswered = await env.database.db
      .selectFrom('messages')
      .select('no_reply_reason')
      .where('from_address', 'like', '%@gmail.com')
      .where('no_reply_reason', '=', 'rate_limited')
      .execute();
    expect(notAnswered).toHaveLength(5);
  });
});

describe('the caps on replies to strangers', () => {
  const env = new PipelineEnv('replycaps', {
    ACK_MAX_PER_UNKNOWN_ADDRESS_PER_DAY: '2',
    ACK_MAX_PER_UNKNOWN_DOMAIN_PER_DAY: '3',
    ACK_MAX_UNKNOWN_PER_HOUR: '100',
  });
  beforeAll(async () => {
    await env.start();
  }, 60_000);
  afterAll(() => env.tearDown());

  const hello = (from: string, id: string) => mailWith({ from, subject: 'Xin chào', id, files: [] });
  const reasonOf = async (id: string) =>
    (
      await env.database.db
        .selectFrom('messages')
        .select('no_reply_reason')
        .where('message_id', '=', `<${id}@test.example>`)
        .executeTakeFirstOrThrow()
    ).no_reply_reason;

  it('counts the +tag variants of an address as that address', async () => {
    for (const tag of ['+1', '+2', '', '+3'])
      await env.deliverAndSettle(hello(`stranger${tag}@yahoo.com`, `tag${tag}`));
    const answered = ['+1', '+2', '', '+3'].flatMap((tag) => env.smtp.inbox(`stranger${tag}@yahoo.com`));
    // Two a day to one mailbox, however its address is tagged.
    expect(answered).toHaveLength(2);
    expect(await reasonOf('tag')).toBe('rate_limited');
    expect(await reasonOf('tag+3')).toBe('rate_limited');
  });

  it('caps the replies to one domain, whichever addresses there they go to', async () => {
    // Two went to yahoo.com above; one more may go today.
    await env.deliverAndSettle(hello('other1@yahoo.com', 'domain-1'));
    await env.deliverAndSettle(hello('other2@yahoo.com', 'domain-2'));
    expect(env.smtp.inbox('other1@yahoo.com')).toHaveLength(1);
    expect(env.smtp.inbox('other2@yahoo.com')).toHaveLength(0);
    expect(await reasonOf('domain-2')).toBe('rate_limited');
    // Another domain has its own.
    await env.deliverAndSettle(hello('someone@example.org', 'domain-3'));
    expect(env.smtp.inbox('someone@example.org')).toHaveLength(1);
  });
});
