import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMomentInWords } from '../../src/domain/time.js';
import { createOpsApp, listen } from '../../src/ops/http/server.js';
import { addStaffAccount } from '../../src/staff/staff-accounts.js';
import { cliWith } from '../helpers/cli.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

// Two console actions that hand work on: a mail asking a sender to resend (through the outbox and the mailer),
// and a file read again with the current parser (by the parser process, never by the console's own).
const MAILS = [
  '01-so-tu-phap-dang-ky.eml',
  '05-gmail-ca-nhan.eml',
  '07-tra-loi-tu-dong.eml',
  '14-so-gtvt-file-macro.eml',
];
const GTVT = 'vanthu_sogtvt@hanoi.gov.vn';
const GIALAM = 'hoangmai.gialam@gmail.com';

describe('asking a sender to resend, and replaying a file, from the console and the CLI', () => {
  const env = new PipelineEnv('console_resend');
  const db = () => env.database.db;
  let server: Server;
  let lan: ConsoleClient;

  beforeAll(async () => {
    await env.start();
    await env.deliverAllAndSettle(
      MAILS.map((file) => readFileSync(fixture('emails', file))),
      90_000,
    );
    await addStaffAccount(db(), {
      username: 'lan',
      displayName: 'Nguyễn Thị Lan',
      password: 'mật khẩu của Lan',
    });
    server = await listen(createOpsApp(env.runtime), '127.0.0.1', 0);
    lan = new ConsoleClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    expect((await lan.login('lan', 'mật khẩu của Lan')).status).toBe(303);
  }, 180_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await env.tearDown();
  });

  const message = (messageId: string) =>
    db()
      .selectFrom('messages')
      .select(['id', 'received_at'])
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
  const audit = (action: string) =>
    db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  const resendMails = (messageId: string) =>
    db()
      .selectFrom('outbox')
      .select(['id', 'kind', 'status', 'dedupe_key'])
      .where('dedupe_key', 'like', `resend-${messageId}-%`)
      .orderBy('id')
      .execute();

  it('asks the sender of an unreadable file to resend: one mail in its thread, naming the file and why', async () => {
    const msg = await message('<sogtvt.20210729.1111@hanoi.gov.vn>');
    const before = env.smtp.inbox(GTVT).length;
    // The review list offers it on the unreadable file.
    const review = await (await lan.get('/review')).text();
    expect(review).toContain('action="/review/resend"');
    expect(review).toContain(`name="message" value="${msg.id}"`);

    const csrf = await lan.csrf();
    const note = 'Đề nghị lưu lại bằng Word <script>alert("x")</script> & gửi trước thứ Sáu.';
    const form = { _csrf: csrf, message: msg.id, note, back: `/messages/${msg.id}` };
    const done = await lan.post('/review/resend', form);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/messages/${msg.id}?ok=resend_requested`);
    // A double click: the second is refused in words, and no second mail is made.
    const again = await lan.post('/review/resend', form);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('trong vòng một giờ qua');
    const rows = await resendMails(msg.id);
    expect(rows).toEqual([expect.objectContaining({ kind: 'notice', dedupe_key: `resend-${msg.id}-0` })]);

    await waitFor(async () => (await resendMails(msg.id))[0]?.status === 'sent', { what: 'the mail sent' });
    const inbox = env.smtp.inbox(GTVT);
    expect(inbox).toHaveLength(before + 1);
    const mail = inbox.at(-1)?.parsed;
    expect(mail?.subject).toBe(
      'Đề nghị gửi lại hồ sơ sáng kiến CCHC (thư nhận ngày ' +
        `${formatMomentInWords(msg.received_at).split(' ').at(-1)}) – Sở Giao thông vận tải`,
    );
    expect(mail?.inReplyTo).toBe('<sogtvt.20210729.1111@hanoi.gov.vn>');
    expect(mail?.references).toContain('<sogtvt.20210729.1111@hanoi.gov.vn>');
    expect(mail?.headers.get('auto-submitted')).toBeUndefined();
    expect(mail?.text).toContain(`lúc ${formatMomentInWords(msg.received_at)}`);
    expect(mail?.text).toContain('* Biểu đăng ký sáng kiến GTVT.docm');
    expect(mail?.text).toContain('Tệp Word có đuôi .docm (loại tệp có thể chứa mã lệnh) nên không được mở');
    expect(mail?.text).toContain(note);
    // The note is text in the HTML part, never markup.
    const html = String(mail?.html);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; gửi trước thứ Sáu.');
    expect(html).not.toMatch(/<script/i);

    const [entry] = await audit('ask_resend');
    expect(entry).toMatchObject({
      actor: 'Nguyễn Thị Lan (lan)',
      via: 'console',
      subject_type: 'message',
      subject_id: msg.id,
      after: { to: GTVT, outboxId: rows[0]?.id },
      note,
    });
    const page = await (await lan.get(`/messages/${msg.id}?ok=resend_requested`)).text();
    expect(page).toContain('Đã gửi thư đề nghị cơ quan, đơn vị gửi lại hồ sơ');
    expect(page).toContain('Đề nghị cơ quan, đơn vị gửi lại hồ sơ');
    expect(page).toContain(`gửi đến: ${GTVT}`);
  });

  it('asks from the CLI, tells a stranger nothing but what happened to the files, and allows a later request', async () => {
    const msg = await message('<CAJx7Yq1pW0gialam+8821@mail.gmail.com>');
    const resend = (...extra: string[]) =>
      cliWith(env.env, 'review', 'resend', msg.id, '--note', 'Xin gửi lại từ địa chỉ công vụ', ...extra);
    const first = await resend('--by', 'Trần Văn Vận', '--json');
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out).toEqual({ to: GIALAM, outboxId: expect.stringMatching(/^\d+$/) });
    const refused = await resend('--by', 'Trần Văn Vận');
    expect(refused.code).toBe(65);
    expect(refused.stderr).toMatch(/ask again after an hour/);

    const mail = await waitFor(
      () => env.smtp.inbox(GIALAM).find((m) => m.parsed.subject?.startsWith('Đề nghị gửi lại')),
      { what: 'the request at the gmail address' },
    );
    expect(mail.parsed.inReplyTo).toBe('<CAJx7Yq1pW0gialam+8821@mail.gmail.com>');
    expect(mail.parsed.text).toContain('* Đăng ký sáng kiến CCHC 2021 Gia Lâm.docx');
    expect(mail.parsed.text).toContain('chưa có trong danh sách hộp thư của các cơ quan, đơn vị');
    expect(mail.parsed.text).not.toMatch(/Kính gửi: UBND huyện Gia Lâm|tiêu đề:/);
    expect((await audit('ask_resend')).at(-1)).toMatchObject({
      actor: 'Trần Văn Vận',
      via: 'cli',
      subject_id: msg.id,
      after: { to: GIALAM, outboxId: out.outboxId },
    });

    // Two hours later a new request is a new mail.
    await db()
      .updateTable('outbox')
      .set({ created_at: new Date(Date.now() - 2 * 3_600_000) })
      .where('id', '=', out.outboxId)
      .execute();
    const later = await resend('--json');
    expect(later.code, later.stderr).toBe(0);
    expect((await resendMails(msg.id)).map((r) => r.dedupe_key)).toEqual([
      `resend-${msg.id}-0`,
      `resend-${msg.id}-1`,
    ]);
  });

  it('refuses to write to an automatic sender, with a page that says why', async () => {
    const msg = await message('<autoreply-0727-sogtvt@hanoi.gov.vn>');
    const r = await lan.post('/review/resend', { _csrf: await lan.csrf(), message: msg.id, note: '' });
    expect(r.status).toBe(409);
    const html = await r.text();
    expect(html).toContain('Không thực hiện được');
    expect(html).toContain('do hệ thống thư điện tử tự động gửi');
    expect(await resendMails(msg.id)).toEqual([]);
    expect((await audit('ask_resend')).filter((a) => a.subject_id === msg.id)).toEqual([]);
    const cli = await cliWith(env.env, 'review', 'resend', msg.id, '--by', 'lan');
    expect(cli.code).toBe(65);
    expect(cli.stderr).toContain('auto_submitted');
    const missing = await lan.post('/review/resend', { _csrf: await lan.csrf(), message: '999999' });
    expect(missing.status).toBe(404);
  });

  it('replays a file in the parser process when staff ask from the console', async () => {
    const attachment = await db()
      .selectFrom('attachments')
      .innerJoin('messages', 'messages.id', 'attachments.message_id')
      .innerJoin('submissions', 'submissions.attachment_id', 'attachments.id')
      .select([
        'attachments.id',
        'attachments.message_id',
        'attachments.parse_result',
        'submissions.id as sid',
      ])
      .where('messages.message_id', '=', '<1627265645.2231.stp@hanoi.gov.vn>')
      .executeTakeFirstOrThrow();
    const titles = () =>
      db()
        .selectFrom('initiatives')
        .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
        .select('initiatives.title')
        .where('submissions.attachment_id', '=', attachment.id)
        .where('initiatives.status', '=', 'active')
        .orderBy('initiatives.position')
        .execute();
    const right = await titles();
    // As an older parser had read it: a title wrong, in the stored reading and in the registry.
    const stale = JSON.parse(JSON.stringify(attachment.parse_result));
    stale.initiatives[0].title = 'Ứng dụng mã QR';
    await db()
      .updateTable('attachments')
      .set({ parse_result: JSON.stringify(stale) })
      .where('id', '=', attachment.id)
      .execute();
    await db()
      .updateTable('initiatives')
      .set({ title: 'Ứng dụng mã QR' })
      .where('submission_id', '=', attachment.sid)
      .where('position', '=', 1)
      .execute();

    const page = `/messages/${attachment.message_id}`;
    const html = await (await lan.get(page)).text();
    expect(html).toContain('action="/files/replay"');
    expect(html).toContain('Đọc lại tệp');
    const ask = (csrf: string) =>
      lan.post('/files/replay', {
        _csrf: csrf,
        attachment: attachment.id,
        back: `${page}#file-${attachment.id}`,
      });
    const r = await ask(ConsoleClient.hidden(html, '_csrf'));
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`${page}?ok=replay_queued#file-${attachment.id}`);

    const [replayed] = await waitFor(
      async () => {
        const rows = await audit('replay_file');
        return rows.length > 0 ? rows : null;
      },
      { what: 'the replay recorded' },
    );
    expect(replayed).toMatchObject({
      actor: 'Nguyễn Thị Lan (lan)',
      via: 'console',
      subject_type: 'attachment',
      subject_id: attachment.id,
    });
    expect(replayed?.note).toContain('Ứng dụng mã QR');
    expect(await titles()).toEqual(right);
    const job = await env.runtime.queues.parse.getJob(`replay-${attachment.id}-0`);
    await waitFor(async () => (await job?.getState()) === 'completed', { what: 'the replay job completed' });
    expect((await env.runtime.queues.parse.getJob(`replay-${attachment.id}-0`))?.returnvalue).toMatchObject({
      status: 'replayed',
    });
    expect(await audit('request_replay')).toEqual([
      expect.objectContaining({ subject_id: attachment.id, after: { jobId: `replay-${attachment.id}-0` } }),
    ]);
    const after = await (await lan.get(page)).text();
    expect(after).toContain('Đọc lại tệp bằng bộ đọc mới');

    // Asked again: a new job, which finds nothing to change.
    expect((await ask(await lan.csrf())).status).toBe(303);
    const second = await waitFor(
      async () => {
        const j = await env.runtime.queues.parse.getJob(`replay-${attachment.id}-1`);
        return j && (await j.getState()) === 'completed' ? j : null;
      },
      { what: 'the second replay job completed' },
    );
    expect(second.returnvalue).toMatchObject({ status: 'unchanged', changes: [] });
    expect(await audit('replay_file')).toHaveLength(1);

    const unknown = await lan.post('/files/replay', { _csrf: await lan.csrf(), attachment: '999999' });
    expect(unknown.status).toBe(404);
  });
});
