import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaffAddress } from '../../src/db/agency.repository.js';
import { planReminders, sendRemindersJob } from '../../src/jobs/send-reminders.job.js';
import { buildDigest } from '../../src/registry/letters/digest.js';
import { loadCampaignFile } from '../../src/registry/reference/registry-files.js';
import { cli } from '../helpers/cli.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

// A campaign with its own dates (registration by 15/3/2030), so the reminder days are known.
const at = (day: string) => new Date(`${day}T01:00:00Z`); // 08:00 in Hanoi
const FIRST = 'vanthu_sotp@hanoi.gov.vn';
const SECOND = 'phongcchc_sotp@hanoi.gov.vn';

/** A Postfix delivery report for `failed`, returning the headers of the message `originalId`. */
function postfixReport(id: string, originalId: string, failed: string[]): Buffer {
  const b = `${id}/mail.hanoi.gov.vn`;
  return Buffer.from(
    [
      'Return-Path: <>',
      'Date: Fri, 01 Mar 2030 08:05:00 +0700 (+07)',
      'From: MAILER-DAEMON@mail.hanoi.gov.vn (Mail Delivery System)',
      'Subject: Undelivered Mail Returned to Sender',
      'To: cchc@hanoi.gov.vn',
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
      `Message-Id: <${id}@mail.hanoi.gov.vn>`,
      '',
      `--${b}`,
      'Content-Description: Notification',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
      '',
      `--${b}`,
      'Content-Description: Delivery report',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mail.hanoi.gov.vn',
      'Arrival-Date: Fri, 01 Mar 2030 08:00:01 +0700 (+07)',
      ...failed.flatMap((a) => [
        '',
        `Final-Recipient: rfc822; ${a}`,
        `Original-Recipient: rfc822;${a}`,
        'Action: failed',
        'Status: 5.1.1',
        `Diagnostic-Code: smtp; 550 5.1.1 <${a}>: Recipient address rejected: User unknown`,
      ]),
      '',
      `--${b}`,
      'Content-Description: Undelivered Message Headers',
      'Content-Type: text/rfc822-headers',
      '',
      'From: cchc@hanoi.gov.vn',
      `To: ${FIRST}, ${SECOND}`,
      'Subject: =?UTF-8?Q?Nh=E1=BA=AFc_h=E1=BA=A1n?=',
      `Message-ID: ${originalId}`,
      '',
      `--${b}--`,
      '',
    ].join('\r\n'),
  );
}

describe('a bounce for a registered address', () => {
  const env = new PipelineEnv('bounces', { STAFF_EMAILS: 'cchc-staff@hanoi.gov.vn' });
  const db = () => env.database.db;
  const address = (email: string) =>
    db()
      .selectFrom('agency_addresses')
      .select(['email', 'bounced_at', 'bounce_status', 'bounce_message_id'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
  const reminderTo = async (day: string) =>
    (await planReminders(env.runtime, at(day))).find((p) => p.agency === 'so-tu-phap')?.to;
  let reminderMessageId = '';

  beforeAll(async () => {
    await env.setUp();
    const file = join(tmpdir(), `campaign-bounces-${process.pid}.yaml`);
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
      ].join('\n'),
    );
    await loadCampaignFile(db(), file);
    const agency = await db()
      .selectFrom('agencies')
      .select('id')
      .where('code', '=', 'so-tu-phap')
      .executeTakeFirstOrThrow();
    await addStaffAddress(db(), agency.id, SECOND, 'test');
    env.startWorkers();
    env.startPoller();
  }, 60_000);
  afterAll(() => env.tearDown());

  it('sends a reminder to both registered addresses of the agency', async () => {
    expect(await reminderTo('2030-03-01')).toEqual([SECOND, FIRST]);
    await sendRemindersJob(env.runtime, at('2030-03-01'));
    const mail = await waitFor(() => env.smtp.inbox(SECOND)[0], { what: 'the reminder' });
    expect(mail.to.sort()).toEqual([SECOND, FIRST].sort());
    reminderMessageId = mail.parsed.messageId ?? '';
    expect(reminderMessageId).toMatch(/^<.+@.+>$/);
  });

  it('flags the address a delivery report says failed, and does not answer the report', async () => {
    await waitFor(async () => env.smtp.mails.length >= 52, { what: 'every reminder to be sent' });
    const sentBefore = env.smtp.mails.length;
    await env.deliverAndSettle(postfixReport('DSN1', reminderMessageId, [SECOND]));
    const report = await db()
      .selectFrom('messages')
      .select(['id', 'is_automatic', 'no_reply_reason'])
      .where('message_id', '=', '<DSN1@mail.hanoi.gov.vn>')
      .executeTakeFirstOrThrow();
    expect(report.is_automatic).toBe(true);
    // The report is stored first, then read for the addresses it flags.
    await waitFor(async () => (await address(SECOND)).bounce_status === '5.1.1', {
      what: 'the address flagged',
    });
    expect(await address(SECOND)).toMatchObject({ bounce_status: '5.1.1', bounce_message_id: report.id });
    expect((await address(SECOND)).bounced_at).not.toBeNull();
    expect((await address(FIRST)).bounced_at).toBeNull();
    expect(env.smtp.mails).toHaveLength(sentBefore);
    expect(env.smtp.inbox('mailer-daemon@mail.hanoi.gov.vn')).toEqual([]);
  });

  it('shows the bounced address in the agency list', async () => {
    const r = await cli(env.database.url, 'agencies', 'list', '--json');
    expect(r.code).toBe(0);
    const tuPhap = JSON.parse(r.stdout).find((a: { code: string }) => a.code === 'so-tu-phap');
    expect(tuPhap.emails).toEqual([SECOND, FIRST]);
    expect(tuPhap.bounced).toEqual([
      expect.objectContaining({ email: SECOND, status: '5.1.1', reason: 'địa chỉ thư không tồn tại' }),
    ]);
    const table = await cli(env.database.url, 'agencies', 'list');
    expect(table.stdout).toMatch(new RegExp(`${SECOND} \\[bounced \\d\\d/\\d\\d/\\d{4}\\]`));
  });

  it('sends the next reminder only to the other address', async () => {
    expect(await reminderTo('2030-03-08')).toEqual([FIRST]);
    const before = env.smtp.inbox(SECOND).length;
    await sendRemindersJob(env.runtime, at('2030-03-08'));
    await waitFor(() => env.smtp.inbox(FIRST).length >= 2, { what: 'the second reminder' });
    await env.waitForIdle();
    expect(env.smtp.inbox(SECOND)).toHaveLength(before);
  });

  it('lists the bounced address in the staff digest, in words', async () => {
    const digest = await buildDigest(env.runtime, at('2030-03-08'));
    expect(digest?.view.bounces.addresses).toEqual([
      {
        agency: 'Sở Tư pháp',
        email: SECOND,
        date: expect.stringMatching(/\/20\d\d$/),
        reason: 'địa chỉ thư không tồn tại',
      },
    ]);
    expect(digest?.view.bounces.unreachable).toEqual([]);
    const rendered = env.runtime.renderer.render('digest', digest?.view ?? {});
    expect(rendered.text).toContain('ĐỊA CHỈ THƯ BỊ TRẢ LẠI (1)');
    expect(rendered.text).toContain(`Sở Tư pháp: ${SECOND}`);
    expect(rendered.html).toContain('Địa chỉ thư bị trả lại (1)');
    expect(rendered.text).not.toContain('5.1.1');
  });

  it('keeps the flag when a mail from that address arrives: only staff clear it', async () => {
    await env.deliverAndSettle(
      Buffer.from(
        [
          `From: Phong CCHC So Tu phap <${SECOND}>`,
          'To: cchc@hanoi.gov.vn',
          'Subject: Hoi ve bieu dang ky',
          'Message-ID: <question-1@hanoi.gov.vn>',
          'Date: Fri, 08 Mar 2030 09:00:00 +0700',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Xin hoi han dang ky.',
          '',
        ].join('\r\n'),
      ),
    );
    expect((await address(SECOND)).bounce_status).toBe('5.1.1');
  });

  it('keeps the flag until staff clear it, then an older report does not raise it again', async () => {
    const clearedAt = new Date();
    const r = await cli(
      env.database.url,
      'agencies',
      'clear-bounce',
      SECOND,
      '--by',
      'Nguyễn Thị Lan',
      '--note',
      'đơn vị đã mở lại hộp thư',
    );
    expect(r.code).toBe(0);
    expect((await address(SECOND)).bounced_at).toBeNull();
    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor', 'via', 'action', 'subject_id', 'note'])
      .where('action', 'in', ['flag_bounce', 'clear_bounce'])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({ action: 'flag_bounce', subject_id: SECOND, via: 'job' }),
      {
        actor: 'Nguyễn Thị Lan',
        via: 'cli',
        action: 'clear_bounce',
        subject_id: SECOND,
        note: 'đơn vị đã mở lại hộp thư',
      },
    ]);
    // A report that arrived before the clear (another copy, read late) leaves the address as staff left it.
    await env.deliverAndSettle(
      postfixReport('DSN2', reminderMessageId, [SECOND]),
      new Date(clearedAt.getTime() - 60_000),
    );
    expect((await address(SECOND)).bounced_at).toBeNull();
    const again = await cli(env.database.url, 'agencies', 'clear-bounce', SECOND);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('not flagged');
  });

  it('sends no reminder to an agency whose every address bounced, and shows it unreachable in the digest', async () => {
    // Arriving in a later second than the clear before it (a mailbox's arrival times are whole seconds).
    await env.deliverAndSettle(
      postfixReport('DSN3', reminderMessageId, [FIRST, SECOND]),
      new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000),
    );
    // The report is stored first, then read for the addresses it flags.
    await waitFor(async () => (await address(FIRST)).bounce_status === '5.1.1', {
      what: 'the first address flagged',
    });
    expect((await address(SECOND)).bounce_status).toBe('5.1.1');
    expect(await reminderTo('2030-03-12')).toBeUndefined();
    const plans = await planReminders(env.runtime, at('2030-03-12'));
    expect(plans.length).toBeGreaterThan(0);
    const digest = await buildDigest(env.runtime, at('2030-03-12'));
    expect(digest?.view.bounces.unreachable).toEqual(['Sở Tư pháp']);
    expect(env.runtime.renderer.render('digest', digest?.view ?? {}).text).toContain(
      'Sở Tư pháp: mọi địa chỉ đã đăng ký đều bị trả lại',
    );
  });
});
