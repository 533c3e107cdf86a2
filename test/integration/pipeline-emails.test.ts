import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../../src/domain/text.js';
import { parseIncomingMessage } from '../../src/mail/incoming-message.js';
import { cli } from '../helpers/cli.js';
import { folderCounts } from '../helpers/imap.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

interface ExpectedEmail {
  agency_code: string | null;
  attachments: {
    filename: string;
    expected: string | null;
    inline?: boolean;
    error?: string;
    nested?: boolean;
  }[];
  duplicate_of?: string;
  supersedes?: string;
}

const emails = readdirSync(fixture('emails'))
  .filter((f) => f.endsWith('.eml'))
  .sort();
const expectedOf = (file: string): ExpectedEmail =>
  JSON.parse(readFileSync(fixture('emails', file.replace(/\.eml$/, '.expected.json')), 'utf8'));
const headersOf = new Map<string, { messageId: string; from: string }>();
const messageIdOf = (file: string) => headersOf.get(file)?.messageId;
const senderOf = (file: string) => headersOf.get(file)?.from;

describe('every sample email through the pipeline (real Dovecot, Postgres, Redis, SMTP)', () => {
  const env = new PipelineEnv('emails');

  beforeAll(async () => {
    for (const file of emails) {
      const m = await parseIncomingMessage(readFileSync(fixture('emails', file)));
      headersOf.set(file, { messageId: m.messageId ?? file, from: m.from?.address ?? '' });
    }
    await env.start();
    // One at a time, as they would arrive days apart: a correction after the original, a report after the
    // registration it reports on.
    for (const file of emails) await env.deliverAndSettle(readFileSync(fixture('emails', file)));
  }, 240_000);
  afterAll(() => env.tearDown());

  const db = () => env.database.db;
  const messageRow = (file: string) =>
    db()
      .selectFrom('messages')
      .leftJoin('agencies', 'agencies.id', 'messages.agency_id')
      .select(['messages.id', 'messages.state', 'messages.review_reasons', 'agencies.code as agency_code'])
      .where('messages.message_id', '=', messageIdOf(file) ?? '')
      .executeTakeFirstOrThrow();

  for (const file of emails) {
    it(`${file}: stored, attributed and parsed as its ground truth says`, async () => {
      const expected = expectedOf(file);
      const msg = await messageRow(file);
      expect(msg.agency_code).toBe(expected.agency_code);
      const attachments = await db()
        .selectFrom('attachments')
        .select(['id', 'filename', 'state', 'reason_code', 'parsed_kind', 'nested', 'parse_result'])
        .where('message_id', '=', msg.id)
        .orderBy('id')
        .execute();
      const documents = expected.attachments.filter((a) => !a.inline);
      expect(attachments.map((a) => a.filename)).toEqual(documents.map((a) => a.filename));
      for (const [i, doc] of documents.entries()) {
        const a = attachments[i];
        expect(a?.state).not.toBe('pending');
        if (doc.error)
          expect({ state: a?.state, reason: a?.reason_code }).toEqual({
            state: 'rejected',
            reason: doc.error,
          });
        if (doc.expected) {
          const truth = JSON.parse(
            readFileSync(
              fixture('forms', doc.expected.replace(/\.(docx|doc|pdf)$/, '.expected.json')),
              'utf8',
            ),
          );
          expect(a?.parsed_kind).toBe(truth.kind);
        }
      }
    });
  }

  it('takes every message out of the inbox, into Processed or Needs review', async () => {
    const counts = await folderCounts(env.imap, ['INBOX', 'Processed', 'Needs review']);
    expect(counts.INBOX).toBe(0);
    expect((counts.Processed ?? 0) + (counts['Needs review'] ?? 0)).toBe(emails.length);
    expect(counts['Needs review']).toBeGreaterThanOrEqual(1); // the gmail.com sender
  });

  it('stores a message delivered twice once, with one submission and one acknowledgement', async () => {
    const id = messageIdOf('08-so-tttt-dang-ky.eml') ?? '';
    const rows = await db().selectFrom('messages').select('id').where('message_id', '=', id).execute();
    expect(rows).toHaveLength(1);
    const acks = env.smtp.inbox(senderOf('08-so-tttt-dang-ky.eml') ?? '');
    // 08 and its corrected re-submission 09 come from the same address: two acknowledgements, not three.
    expect(acks).toHaveLength(2);
  });

  it('replaces the first registration with the corrected one: two active initiatives, the old kept', async () => {
    const rows = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select(['initiatives.title', 'initiatives.status', 'initiatives.timeline'])
      .where('agencies.code', '=', 'so-thong-tin-truyen-thong')
      .orderBy('initiatives.id')
      .execute();
    expect(rows.filter((r) => r.status === 'active')).toHaveLength(2);
    expect(rows.filter((r) => r.status === 'superseded')).toHaveLength(1);
    const subs = await db()
      .selectFrom('submissions')
      .innerJoin('agencies', 'agencies.id', 'submissions.agency_id')
      .select(['submissions.status', 'submissions.supersedes_id', 'submissions.id'])
      .where('agencies.code', '=', 'so-thong-tin-truyen-thong')
      .orderBy('submissions.id')
      .execute();
    expect(subs.map((s) => s.status)).toEqual(['superseded', 'active']);
    expect(subs[1]?.supersedes_id).toBe(subs[0]?.id);
  });

  it('links each results row to the registered initiative, an abbreviated title included', async () => {
    const results = await db()
      .selectFrom('initiative_results')
      .leftJoin('initiatives', 'initiatives.id', 'initiative_results.initiative_id')
      .select([
        'initiative_results.title',
        'initiative_results.status',
        'initiatives.title as registered',
        'initiative_results.needs_review',
      ])
      .orderBy('initiative_results.id')
      .execute();
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.needs_review).toBe(false);
      expect(r.registered).not.toBeNull();
    }
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed', 'in_progress']);
  });

  it('counts initiatives toward quotas only for known senders', async () => {
    const counts = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select(['agencies.code', sql<number>`count(*)::int`.as('n')])
      .where('initiatives.status', '=', 'active')
      .groupBy('agencies.code')
      .orderBy('agencies.code')
      .execute();
    expect(Object.fromEntries(counts.map((c) => [c.code, c.n]))).toEqual({
      'huyen-thanh-tri': 2,
      'quan-cau-giay': 2,
      'quan-long-bien': 2,
      'so-tai-nguyen-moi-truong': 2,
      'so-thong-tin-truyen-thong': 2,
      'so-tu-phap': 1,
    });
    // The gmail.com sender's form names Gia Lâm: held for staff, not counted.
    const held = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select(['initiatives.status'])
      .where('agencies.code', '=', 'huyen-gia-lam')
      .execute();
    expect(held.map((h) => h.status)).toEqual(['pending_review', 'pending_review']);
  });

  it('never answers the out-of-office reply, and answers every other sender once in Vietnamese', async () => {
    const autoReply = messageIdOf('07-tra-loi-tu-dong.eml');
    expect(env.smtp.mails.filter((m) => m.parsed.inReplyTo === autoReply)).toHaveLength(0);
    expect(env.smtp.mails).toHaveLength(emails.length - 2); // all but the auto-reply and the second delivery
    for (const file of [
      '01-so-tu-phap-dang-ky.eml',
      '05-gmail-ca-nhan.eml',
      '06-tx-son-tay-quen-dinh-kem.eml',
      '11-so-y-te-chi-co-cong-van.eml',
      '14-so-gtvt-file-macro.eml',
    ]) {
      const mails = env.smtp
        .inbox(senderOf(file) ?? '')
        .filter((m) => m.parsed.inReplyTo === messageIdOf(file));
      expect(mails, file).toHaveLength(1);
      const mail = mails[0];
      expect(mail?.parsed.headers.get('auto-submitted')).toBe('auto-replied');
      expect(mail?.parsed.inReplyTo).toBe(messageIdOf(file));
      expect(mail?.parsed.text).toContain('Kính gửi');
      expect(mail?.parsed.html).toContain('<html lang="vi">');
    }
  });

  it('tells each sender what was understood or what to fix', async () => {
    const text = (file: string) =>
      fold(env.smtp.mails.find((m) => m.parsed.inReplyTo === messageIdOf(file))?.parsed.text ?? '');
    expect(text('01-so-tu-phap-dang-ky.eml')).toContain(
      fold('Ứng dụng mã QR tra cứu tình trạng giải quyết hồ sơ'),
    );
    expect(text('01-so-tu-phap-dang-ky.eml')).toContain(
      fold('Đến nay Sở Tư pháp đã đăng ký 01 sáng kiến, đạt số lượng tối thiểu'),
    );
    // The receipt repeats every field read, so a misread one is seen at once.
    expect(text('01-so-tu-phap-dang-ky.eml')).toContain(fold('Đơn vị chủ trì: Phòng Hành chính tư pháp'));
    const subject = (file: string) =>
      env.smtp.mails.find((m) => m.parsed.inReplyTo === messageIdOf(file))?.parsed.subject ?? '';
    expect(subject('01-so-tu-phap-dang-ky.eml')).toMatch(
      /^Đã tiếp nhận Biểu đăng ký sáng kiến CCHC – số tiếp nhận CCHC-2021-\d+ – Sở Tư pháp$/,
    );
    // A mail whose only file was refused is never told its form was received.
    expect(subject('14-so-gtvt-file-macro.eml')).toMatch(/^Chưa đọc được tệp gửi kèm – đề nghị gửi lại /);
    expect(subject('06-tx-son-tay-quen-dinh-kem.eml')).toMatch(/^Chưa nhận được tệp gửi kèm/);
    expect(text('06-tx-son-tay-quen-dinh-kem.eml')).toContain(fold('không có tệp đính kèm'));
    expect(text('06-tx-son-tay-quen-dinh-kem.eml')).not.toContain(fold('Thư chưa kèm'));
    expect(text('11-so-y-te-chi-co-cong-van.eml')).toContain(fold('Thư chưa kèm'));
    expect(text('14-so-gtvt-file-macro.eml')).toContain(fold('.docm'));
    expect(text('05-gmail-ca-nhan.eml')).toContain(fold('nên nội dung chưa được tính'));
    expect(text('02-huyen-thanh-tri-scan-va-word.eml')).toContain(fold('bản chụp (bản quét)'));
  });

  it('reports the quota table with the agencies still short first, and the inbox counts', async () => {
    const r = await cli(env.database.url, 'status', '--campaign', '2021', '--json');
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(status.agencies).toHaveLength(52);
    const shortBy = status.agencies.map((a: { short_by: number }) => a.short_by);
    expect(shortBy).toEqual([...shortBy].sort((a: number, b: number) => b - a));
    expect(status.agencies.find((a: { agency: string }) => a.agency === 'huyen-thanh-tri')).toMatchObject({
      quota: 2,
      registered: 2,
      reported: 2,
      short_by: 0,
    });
    expect(status.agencies.find((a: { agency: string }) => a.agency === 'huyen-gia-lam')).toMatchObject({
      registered: 0,
      short_by: 2,
    });
    expect(status.inbox).toMatchObject({
      messages: emails.length - 1,
      automatic: 1,
      in_progress: 0,
      pending: 0,
    });
    expect(status.inbox.outbox).toEqual({ sent: emails.length - 2, unsent: 0, failed: 0 });
  });

  it('exports the consolidated report: the .xlsx reads back as the database says, the .docx shows every initiative', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reform-export-'));
    for (const format of ['xlsx', 'docx', 'csv']) {
      const r = await cli(
        env.database.url,
        'export',
        '--campaign',
        '2021',
        '--format',
        format,
        '--out',
        join(dir, `report.${format}`),
      );
      expect(r.code, r.stderr).toBe(0);
    }
    const active = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select(['initiatives.title', 'agencies.name', 'agencies.kind'])
      .where('initiatives.status', '=', 'active')
      .execute();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'report.xlsx'));
    const sheet = wb.getWorksheet('Sáng kiến');
    const rows: { stt: number; agency: string; title: string }[] = [];
    sheet?.eachRow((row) => {
      const stt = row.getCell(1).value;
      if (typeof stt === 'number')
        rows.push({ stt, agency: String(row.getCell(2).value), title: String(row.getCell(3).value) });
    });
    expect(rows.map((r) => r.title).sort()).toEqual(active.map((a) => a.title).sort());
    expect(rows.map((r) => r.stt)).toEqual(rows.map((_, i) => i + 1));
    // Departments first, then districts.
    const kinds = rows.map((r) => active.find((a) => a.name === r.agency)?.kind);
    expect(kinds).toEqual(
      [...kinds].sort((a, b) => (a === 'department' ? 0 : 1) - (b === 'department' ? 0 : 1)),
    );
    const summary = wb.getWorksheet('Tổng hợp');
    const thanhTri: unknown[] = [];
    summary?.eachRow((row) => {
      if (row.getCell(2).value === 'UBND huyện Thanh Trì')
        thanhTri.push(...[4, 5, 6, 7].map((c) => row.getCell(c).value));
    });
    expect(thanhTri).toEqual([2, 2, 2, 'Đạt']);
    const text = (await mammoth.extractRawText({ path: join(dir, 'report.docx') })).value;
    for (const a of active) expect(text).toContain(a.title);
    const csv = readFileSync(join(dir, 'report.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFSTT,')).toBe(true);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(active.length + 1);
  });

  it('sends the staff a digest: progress, new submissions, what waits for a person, the quota table, the report', async () => {
    const dry = await cli(env.database.url, 'digest', '--dry-run', '--json');
    const view = JSON.parse(dry.stdout);
    expect(view.newSubmissions).toHaveLength(10);
    expect(view.review.messages.map((m: { from: string }) => m.from)).toContain('hoangmai.gialam@gmail.com');
    // Reasons in words, never a raw code.
    expect(view.review.files.map((f: { why: string }) => f.why)).toContain(
      'không đọc được: tệp Word có chứa mã lệnh (macro, đuôi .docm)',
    );
    expect(view.agencies[0].shortBy).toBe(2);
    // Initiatives against the quotas, said as such; how many agencies meet theirs beside it.
    expect(view.progress[0].label).toBe('Sáng kiến đã đăng ký / số lượng tối thiểu (tất cả cơ quan, đơn vị)');
    expect(view.progress[0].agencies).toMatch(/^\d+\/52 cơ quan, đơn vị đạt số lượng tối thiểu$/);
    expect(view.progress.map((p: { label: string }) => p.label).slice(1)).toEqual([
      'Sáng kiến đã đăng ký / số lượng tối thiểu (Sở, ban, ngành)',
      'Sáng kiến đã đăng ký / số lượng tối thiểu (UBND quận, huyện, thị xã)',
    ]);

    const { sendDigestJob } = await import('../../src/jobs/send-digest.job.js');
    expect(await sendDigestJob(env.runtime, new Date())).toEqual({ queued: true });
    expect(await sendDigestJob(env.runtime, new Date())).toEqual({ queued: false }); // once a day
    const mail = await waitFor(
      () => env.smtp.mails.find((m) => m.parsed.subject?.startsWith('[CCHC 2021]')),
      { what: 'the digest' },
    );
    expect(mail.to).toEqual(env.config.STAFF_EMAILS);
    expect(mail.parsed.html).toContain('Tiến độ đăng ký');
    expect(mail.parsed.html).not.toMatch(/<script|<img|https?:\/\//i);
    expect(mail.parsed.attachments.map((a) => a.contentType)).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    // The next digest counts only what came after this one.
    const next = JSON.parse((await cli(env.database.url, 'digest', '--dry-run', '--json')).stdout);
    expect(next.newSubmissions).toHaveLength(0);
  });

  it('lists what waits for a person, with ids an operator can act on', async () => {
    type Item = { kind: string; id: string; from: string; reasons: string[]; why: string };
    const items: Item[] = JSON.parse((await cli(env.database.url, 'review', 'list', '--json')).stdout);
    expect(items.filter((i) => i.kind === 'message').map((m) => m.from)).toEqual([
      'hoangmai.gialam@gmail.com',
    ]);
    expect(items.filter((i) => i.kind === 'message')[0]?.reasons).toContain('unknown_sender');
    expect(items.filter((i) => i.kind === 'file').map((f) => f.reasons)).toEqual([['macro_enabled']]);
    expect(items.filter((i) => i.kind === 'result')).toEqual([]);
    for (const i of items) expect(i.id).toMatch(/^\d+$/);
  });

  it('replays stored files with the current parser: shows the difference, applies it once, and is idempotent', async () => {
    const replay = async (...args: string[]) => {
      const r = await cli(env.database.url, 'replay', ...args, '--json');
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    const attachment = await db()
      .selectFrom('attachments')
      .select(['id', 'parse_result'])
      .where('filename', '=', 'Biểu đăng ký sáng kiến CCHC 2021 - Sở Tư pháp.docx')
      .executeTakeFirstOrThrow();
    const unchanged = await replay('--attachment', attachment.id);
    expect(unchanged).toEqual([expect.objectContaining({ changes: [], applied: false })]);

    // As if an older parser had read the title wrong: the stored result and the initiative say so.
    const stale = JSON.parse(JSON.stringify(attachment.parse_result));
    stale.initiatives[0].title = 'Ứng dụng mã QR';
    await db()
      .updateTable('attachments')
      .set({ parse_result: JSON.stringify(stale) })
      .where('id', '=', attachment.id)
      .execute();
    const dry = await replay('--attachment', attachment.id);
    expect(dry[0].changes).toEqual([
      'initiatives.0.title: "Ứng dụng mã QR" → "Ứng dụng mã QR tra cứu tình trạng giải quyết hồ sơ cấp Phiếu lý lịch tư pháp"',
    ]);
    const countsBefore = await db()
      .selectFrom('submissions')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const applied = await replay('--attachment', attachment.id, '--apply');
    expect(applied[0].applied).toBe(true);
    const again = await replay('--attachment', attachment.id, '--apply');
    expect(again[0]).toMatchObject({ changes: [], applied: false });
    const countsAfter = await db()
      .selectFrom('submissions')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(countsAfter.n).toBe(countsBefore.n);
    const active = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select('initiatives.title')
      .where('agencies.code', '=', 'so-tu-phap')
      .where('initiatives.status', '=', 'active')
      .execute();
    expect(active.map((a) => a.title)).toEqual([
      'Ứng dụng mã QR tra cứu tình trạng giải quyết hồ sơ cấp Phiếu lý lịch tư pháp',
    ]);
  });

  it('puts failed jobs back in their queues on request', async () => {
    const r = await cli(env.database.url, 'retry-failed', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ retried: { parse: 0, acknowledge: 0, mail: 0, schedule: 0 } });
    expect((await cli(env.database.url, 'retry-failed', '--queue', 'nope')).code).toBe(64);
  });

  it('lets staff confirm a submission held for review, which then counts for the agency', async () => {
    const held = await db()
      .selectFrom('submissions')
      .select('reference')
      .where('status', '=', 'pending_review')
      .executeTakeFirstOrThrow();
    const r = await cli(env.database.url, 'review', 'confirm', held.reference, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      reference: held.reference,
      agency: 'huyen-gia-lam',
      status: 'active',
    });
    const kept = await db()
      .selectFrom('submissions')
      .select('status')
      .where('reference', '=', held.reference)
      .executeTakeFirstOrThrow();
    expect(kept.status).toBe('active');
    const giaLam = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select('initiatives.status')
      .where('agencies.code', '=', 'huyen-gia-lam')
      .execute();
    expect(giaLam.map((i) => i.status)).toEqual(['active', 'active']);
    const again = await cli(env.database.url, 'review', 'confirm', held.reference);
    expect(again.code).toBe(65);
    const items: { kind: string }[] = JSON.parse(
      (await cli(env.database.url, 'review', 'list', '--json')).stdout,
    );
    expect(items.filter((i) => i.kind === 'message')).toEqual([]);
  });
});
