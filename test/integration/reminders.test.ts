import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planReminders, sendRemindersJob } from '../../src/jobs/send-reminders.job.js';
import { loadCampaignFile } from '../../src/registry/reference/registry-files.js';
import { cli } from '../helpers/cli.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

// A campaign with other dates than 2021's: registration by 15/3/2030, results by 1/10/2030.
const at = (day: string) => new Date(`${day}T01:00:00Z`); // 08:00 in Hanoi

describe('reminders', () => {
  const env = new PipelineEnv('reminders', {
    STAFF_EMAILS: 'cchc-staff@hanoi.gov.vn',
    OFFICE_CONTACT: 'Văn thư Sở Nội vụ',
  });
  let campaignFile = '';
  let campaignId = '';
  const db = () => env.database.db;
  const agencyId = async (code: string) =>
    (await db().selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

  /** Register initiatives for an agency directly (the pipeline's job, done here to set the scene). */
  async function register(code: string, titles: string[]) {
    const agency = await agencyId(code);
    const message = await db()
      .insertInto('messages')
      .values({
        mailbox: 'INBOX',
        uidvalidity: 1,
        uid: Math.floor(Math.random() * 1e9),
        raw_sha256: 'a'.repeat(63) + String(titles.length),
        raw_size: 1,
        message_id: `<${code}-${Math.random()}@x>`,
        agency_id: agency,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const attachment = await db()
      .insertInto('attachments')
      .values({
        message_id: message.id,
        part: '1',
        filename: 'f.docx',
        content_type: 'x',
        size: 1,
        sha256: 'b'.repeat(64),
        bytes: Buffer.from('x'),
        state: 'parsed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const submission = await db()
      .insertInto('submissions')
      .values({
        reference: `R-${attachment.id}`,
        campaign_id: campaignId,
        agency_id: agency,
        attachment_id: attachment.id,
        kind: 'registration',
        received_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, title] of titles.entries()) {
      await db()
        .insertInto('initiatives')
        .values({
          submission_id: submission.id,
          campaign_id: campaignId,
          agency_id: agency,
          position: i + 1,
          title,
          title_key: `${title}-${i}`,
          summary: 's',
        })
        .execute();
    }
  }

  beforeAll(async () => {
    await env.setUp();
    const file = join(tmpdir(), `campaign-2030-${process.pid}.yaml`);
    campaignFile = file;
    writeFileSync(
      file,
      [
        'code: test-2030',
        'year: 2030',
        'name: Sáng kiến CCHC 2030',
        'inbox_address: cchc@hanoi.gov.vn',
        'registration_deadline: 15/03/2030',
        'results_deadline: 01/10/2030',
        'quotas: { department: 1, district: 2 }',
        'document: { number: 1980/SNV-CCHC, date: 02/01/2030 }',
        'contact: { name: "Nguyễn Thị B, chuyên viên Phòng CCHC", phone: "024 3826 0000" }',
      ].join('\n'),
    );
    campaignId = (await loadCampaignFile(db(), file)).id;
    env.startWorkers({ parser: false, mailer: true });
  }, 60_000);
  afterAll(() => env.tearDown());

  const outboxCount = async (kind?: 'reminder' | 'overdue') =>
    Number(
      (
        await db()
          .selectFrom('outbox')
          .select(sql<number>`count(*)`.as('n'))
          .$if(kind !== undefined, (q) => q.where('kind', '=', kind as 'reminder'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('shows who would be reminded, without sending', async () => {
    const plans = await planReminders(env.runtime, at('2030-03-01'));
    expect(plans).toHaveLength(52);
    expect(plans.find((p) => p.agency === 'huyen-thanh-tri')).toMatchObject({
      to: ['vanthu_thanhtri@hanoi.gov.vn'],
      phase: 'registration',
      kind: 'reminder',
      offset: 14,
      daysLeft: 14,
      required: 2,
      missing: 2,
      cc: [],
    });
    expect(await outboxCount()).toBe(0);
    const r = await cli(env.database.url, 'remind', '--dry-run', '--date', '2030-03-01', '--json');
    expect(JSON.parse(r.stdout)).toHaveLength(52);
  });

  it('sends each offset once per short agency, even when run twice the same day', async () => {
    expect((await sendRemindersJob(env.runtime, at('2030-03-01'))).queued).toBe(52);
    expect((await sendRemindersJob(env.runtime, at('2030-03-01'))).queued).toBe(0);
    await waitFor(() => env.smtp.mails.length >= 52, { what: 'the reminders to be sent' });
    const mail = env.smtp.inbox('vanthu_thanhtri@hanoi.gov.vn')[0];
    expect(mail?.parsed.subject).toContain(
      'Đề nghị đăng ký sáng kiến CCHC năm 2030 chậm nhất ngày 15/3/2030',
    );
    // Nothing registered yet: said so, with the quota as officials write it and the document it rests on.
    expect(mail?.parsed.text).toContain(
      'Thực hiện Văn bản số 1980/SNV-CCHC ngày 02/01/2030 của Sở Nội vụ, mỗi UBND quận, huyện, thị xã (gồm UBND các xã, phường, thị trấn trực thuộc) đăng ký tối thiểu 02 sáng kiến',
    );
    expect(mail?.parsed.text).toContain(
      'Đến nay Phòng CCHC chưa nhận được Biểu đăng ký của UBND huyện Thanh Trì (số lượng tối thiểu: 02 sáng kiến).',
    );
    expect(mail?.parsed.text).toContain('còn 14 ngày');
    // The signed document still goes to the department; the campaign's contact wins over OFFICE_CONTACT.
    expect(mail?.parsed.text).toContain('đồng thời gửi về Sở Nội vụ');
    expect(mail?.parsed.text).toContain(
      'Mọi vướng mắc xin liên hệ: Nguyễn Thị B, chuyên viên Phòng CCHC, điện thoại 024 3826 0000.',
    );
    expect(mail?.parsed.text).not.toContain('Văn thư Sở Nội vụ');
    expect(mail?.parsed.html).toContain('Nguyễn Thị B, chuyên viên Phòng CCHC, điện thoại 024 3826 0000');
    expect(mail?.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail?.parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(mail?.parsed.attachments.map((a) => a.filename)).toEqual(['Bieu dang ky sang kien CCHC.docx']);
  });

  it('leaves out an agency that meets its quota, and catches up a missed week with one reminder', async () => {
    await register('so-tu-phap', ['Một cửa số']);
    await register('huyen-thanh-tri', ['Zalo OA']); // one of two
    const before = await outboxCount();
    // Nothing ran between 1/3 and 13/3: only the 3-day reminder goes out, not the 7-day one as well.
    expect((await sendRemindersJob(env.runtime, at('2030-03-13'))).queued).toBe(51);
    expect(await outboxCount()).toBe(before + 51);
    const keys = await db()
      .selectFrom('outbox')
      .select('dedupe_key')
      .where('dedupe_key', 'like', '%-so-tu-phap')
      .execute();
    expect(keys.map((k) => k.dedupe_key)).toEqual(['reminder-test-2030-registration-14-so-tu-phap']);
    const thanhTri = (await planReminders(env.runtime, at('2030-03-14'))).find(
      (p) => p.agency === 'huyen-thanh-tri',
    );
    expect(thanhTri).toMatchObject({ offset: 1, missing: 1, cc: ['cchc-staff@hanoi.gov.vn'] });
  });

  it('sends the last reminder with the staff in copy, then only the overdue notice, on a working day', async () => {
    expect((await sendRemindersJob(env.runtime, at('2030-03-14'))).queued).toBe(51);
    // The deadline is Friday 15/3: the day after is a Saturday, so nothing goes out that weekend...
    for (const day of ['2030-03-16', '2030-03-17']) {
      expect(await planReminders(env.runtime, at(day))).toEqual([]);
      expect((await sendRemindersJob(env.runtime, at(day))).queued).toBe(0);
    }
    // ...and the overdue notice goes out once, on Monday 18/3.
    const overdue = await sendRemindersJob(env.runtime, at('2030-03-18'));
    expect(overdue.queued).toBe(51);
    expect((await sendRemindersJob(env.runtime, at('2030-03-19'))).queued).toBe(0);
    expect(await outboxCount('overdue')).toBe(51);
    for (const day of ['2030-03-20', '2030-05-01']) {
      expect((await sendRemindersJob(env.runtime, at(day))).queued).toBe(0);
    }
    await waitFor(() => env.smtp.inbox('cchc-staff@hanoi.gov.vn').length >= 102, {
      what: 'copies to the staff',
    });
    const overdueTo = (address: string) =>
      env.smtp.inbox(address).find((m) => m.parsed.subject?.startsWith('Đề nghị khẩn trương'))?.parsed.text ??
      '';
    expect(overdueTo('vanthu_thanhtri@hanoi.gov.vn')).toContain(
      'đã đăng ký 01 sáng kiến, còn thiếu 01 so với số lượng tối thiểu (02 sáng kiến).',
    );
    expect(overdueTo('vanthu_soyt@hanoi.gov.vn')).toContain(
      'chưa nhận được Biểu đăng ký của Sở Y tế (số lượng tối thiểu: 01 sáng kiến).',
    );
  });

  it('reminds of the results still missing, escaping titles in HTML and keeping them in text', async () => {
    await register('so-y-te', ['Bệnh án <script>alert(1)</script> & hồ sơ']);
    const plans = (await planReminders(env.runtime, at('2030-09-17'))).filter((p) => p.phase === 'results');
    expect(plans.map((p) => p.agency).sort()).toEqual(['huyen-thanh-tri', 'so-tu-phap', 'so-y-te']);
    await sendRemindersJob(env.runtime, at('2030-09-17'));
    const mail = await waitFor(
      () =>
        env.smtp.inbox('vanthu_soyt@hanoi.gov.vn').find((m) => m.parsed.subject?.includes('báo cáo kết quả')),
      { what: 'the results reminder' },
    );
    expect(mail.parsed.html).toContain('Bệnh án &lt;script&gt;alert(1)&lt;/script&gt; &amp; hồ sơ');
    expect(mail.parsed.html).not.toContain('<script>');
    expect(mail.parsed.text).toContain('Bệnh án <script>alert(1)</script> & hồ sơ');
    expect(mail.parsed.attachments.map((a) => a.filename)).toEqual([
      'Bao cao ket qua thuc hien sang kien CCHC.docx',
    ]);
  });

  it('says "hôm nay là hạn cuối" on the deadline day, never "còn 0 ngày"', async () => {
    // The 1-day results reminder was not sent on 30/9: it catches up on the deadline day, Tuesday 1/10.
    const plans = (await planReminders(env.runtime, at('2030-10-01'))).filter(
      (p) => p.agency === 'so-tu-phap',
    );
    expect(plans).toMatchObject([{ phase: 'results', kind: 'reminder', offset: 1, daysLeft: 0 }]);
    await sendRemindersJob(env.runtime, at('2030-10-01'));
    const mail = await waitFor(
      () => env.smtp.inbox('vanthu_sotp@hanoi.gov.vn').find((m) => m.parsed.text?.includes('hạn cuối')),
      { what: "the deadline day's reminder" },
    );
    expect(mail.parsed.text).toContain('chậm nhất ngày 01/10/2030 (hôm nay là hạn cuối)');
    expect(mail.parsed.text).not.toContain('còn 0 ngày');
    expect(mail.parsed.html).toContain('hôm nay là hạn cuối');
    expect(mail.parsed.html).not.toContain('0 ngày');
  });

  it('keeps the document and the contact of the campaign file, and a second load changes nothing', async () => {
    const row = await db()
      .selectFrom('campaigns')
      .select(['document_number', 'document_date', 'document_issuer', 'contact_name', 'contact_phone'])
      .where('id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      document_number: '1980/SNV-CCHC',
      document_date: '2030-01-02',
      document_issuer: 'Sở Nội vụ',
      contact_name: 'Nguyễn Thị B, chuyên viên Phòng CCHC',
      contact_phone: '024 3826 0000',
    });
    expect((await loadCampaignFile(db(), campaignFile)).changed).toBe(false);
  });

  it('reminds every registered address that has not bounced, and an agency with none left not at all', async () => {
    const soYTe = await agencyId('so-y-te');
    await db()
      .insertInto('agency_addresses')
      .values({ agency_id: soYTe, email: 'phongcchc_soyt@hanoi.gov.vn', source: 'staff', added_by: 'test' })
      .execute();
    const planFor = async () =>
      (await planReminders(env.runtime, at('2030-09-24'))).find((p) => p.agency === 'so-y-te');
    expect((await planFor())?.to).toEqual(['phongcchc_soyt@hanoi.gov.vn', 'vanthu_soyt@hanoi.gov.vn']);
    const bounce = (email: string) =>
      db()
        .updateTable('agency_addresses')
        .set({ bounced_at: new Date(), bounce_status: '5.1.1' })
        .where('email', '=', email)
        .execute();
    await bounce('vanthu_soyt@hanoi.gov.vn');
    expect((await planFor())?.to).toEqual(['phongcchc_soyt@hanoi.gov.vn']);
    await bounce('phongcchc_soyt@hanoi.gov.vn');
    expect(await planFor()).toBeUndefined();
  });
});

describe('the schedules', () => {
  const env = new PipelineEnv('schedules', { REMINDER_CRON: '0 8 * * *' });
  beforeAll(() => env.setUp(), 60_000);
  afterAll(() => env.tearDown());

  it('are registered by one process only, with cron evaluated in Hanoi time', async () => {
    const { registerSchedules } = await import('../../src/jobs/scheduler.js');
    const results = await Promise.all([
      registerSchedules(env.runtime.redis, env.runtime),
      registerSchedules(env.runtime.redis, env.runtime),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const schedulers = await env.runtime.queues.schedule.getJobSchedulers();
    const byKey = Object.fromEntries(schedulers.map((s) => [s.key, s]));
    expect(Object.keys(byKey).sort()).toEqual(['digest', 'reminders']);
    expect([byKey.reminders?.pattern, byKey.reminders?.tz]).toEqual(['0 8 * * *', 'Asia/Ho_Chi_Minh']);
    // The next runs are at 08:00 and 17:00 in Hanoi (01:00 and 10:00 UTC).
    expect(new Date(Number(byKey.reminders?.next)).getUTCHours()).toBe(1);
    expect(new Date(Number(byKey.digest?.next)).getUTCHours()).toBe(10);
  });
});
