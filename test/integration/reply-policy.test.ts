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
  let delivered = 0;
  const deliver = async (raw: Buffer) => {
    await env.deliver(raw);
    delivered++;
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
    await env.waitForIdle(delivered);
    expect(env.smtp.inbox('vanthu_soyt@hanoi.gov.vn')).toHaveLength(1);
    expect(env.smtp.inbox('victim@example.com')).toHaveLength(0);
    const stored = await env.database.db
      .selectFrom('messages')
      .select('reply_to')
      .where('message_id', '=', '<reply-to-victim@test.example>')
      .executeTakeFirstOrThrow();
    expect(stored.reply_to).toBe('victim@example.com');
  });

  it('tells a stranger only what happened to the files: not their subject, file names, titles or any standing', async () => {
    await deliver(
      mailWith({
        from: 'unknown.clerk@yahoo.com',
        subject: 'Tiêu đề lạ XYZ',
        id: 'stranger-form',
        files: [{ name: 'Ten tep la.docx', bytes: form }],
      }),
    );
    await env.waitForIdle(delivered);
    const [reply] = env.smtp.inbox('unknown.clerk@yahoo.com');
    expect(reply).toBeDefined();
    const all = `${reply?.parsed.subject} ${reply?.parsed.text} ${reply?.parsed.html}`;
    expect(all).not.toMatch(/Tiêu đề lạ|Ten tep la|Đặt lịch khám bệnh|Sở Y tế đã đăng ký/);
    expect(reply?.parsed.text).toContain('Tệp đính kèm thứ 1');
  });

  it('stops a flood of strangers at the caps, and says on each message why it was not answered', async () => {
    // Three mails from one stranger: two answered (the daily cap per address).
    for (const n of [1, 2, 3]) {
      await deliver(
        mailWith({ from: 'stranger@gmail.com', subject: `Thư ${n}`, id: `one-stranger-${n}`, files: [] }),
      );
    }
    await env.waitForIdle(delivered);
    expect(env.smtp.inbox('stranger@gmail.com')).toHaveLength(2);
    // Many strangers: all of them together get at most the hourly cap (4; three already used above).
    for (const n of [1, 2, 3, 4, 5]) {
      await deliver(
        mailWith({ from: `nguoi${n}@gmail.com`, subject: 'Xin chào', id: `many-${n}`, files: [] }),
      );
    }
    await env.waitForIdle(delivered);
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
