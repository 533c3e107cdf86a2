import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIncomingMessage } from '../../src/mail/incoming-message.js';
import { readDocx } from '../../src/parser/docx-reader.js';
import { itemsForReview } from '../../src/registry/views/review.js';
import { mailWith } from '../helpers/form-mail.js';
import { odtOf, rtfOf, zipOf } from '../helpers/office-files.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

// A district sends its registration zipped with the signed scan, and its results report as an .odt in the same
// archive; another office sends its form as Word's "Rich Text" under the name .doc. Both count as if the files
// had been attached as they are.

const THANH_TRI = 'vanthu_thanhtri@hanoi.gov.vn';
const TU_PHAP = 'vanthu_sotp@hanoi.gov.vn';

async function signedScan(): Promise<Buffer> {
  const m = await parseIncomingMessage(
    readFileSync(fixture('emails', '02-huyen-thanh-tri-scan-va-word.eml')),
  );
  const pdf = m.attachments.find((a) => a.filename.endsWith('.pdf'));
  if (!pdf) throw new Error('the sample mail has no scan');
  return pdf.content;
}

describe('forms inside a .zip, and in the other formats (real Dovecot, Postgres, Redis, SMTP)', () => {
  const env = new PipelineEnv('archives');
  const db = () => env.database.db;

  beforeAll(async () => {
    await env.start();
  }, 60_000);
  afterAll(() => env.tearDown());

  const filesOf = async (messageId: string) =>
    db()
      .selectFrom('attachments')
      .select(['id', 'part', 'filename', 'content_type', 'state', 'reason_code', 'parsed_kind', 'nested'])
      .where('message_id', '=', messageId)
      .orderBy('id')
      .execute();

  it('counts a zip holding the Word form, the signed scan and a report as .odt as if each were attached', async () => {
    const report = odtOf((await readDocx(readFileSync(fixture('forms', 'bc-huyen-thanh-tri.docx')))).blocks);
    const archive = zipOf({
      'Hồ sơ CCHC/Biểu đăng ký sáng kiến - huyện Thanh Trì.docx': readFileSync(
        fixture('forms', 'dk-huyen-thanh-tri.docx'),
      ),
      'Hồ sơ CCHC/412-UBND-NV (bản ký).pdf': await signedScan(),
      'Hồ sơ CCHC/Báo cáo kết quả.odt': report,
    });
    await env.deliverAndSettle(
      mailWith({
        from: `Văn thư huyện Thanh Trì <${THANH_TRI}>`,
        subject: 'Đăng ký sáng kiến CCHC năm 2021 - huyện Thanh Trì',
        id: 'zip-thanh-tri',
        files: [{ name: 'Hồ sơ sáng kiến.zip', bytes: archive }],
      }),
    );
    const message = await db()
      .selectFrom('messages')
      .select(['id', 'state', 'review_reasons'])
      .where('message_id', '=', '<zip-thanh-tri@test.example>')
      .executeTakeFirstOrThrow();
    expect(message).toMatchObject({ state: 'processed', review_reasons: [] });
    const files = await filesOf(message.id);
    expect(files.map((f) => [f.part, f.filename, f.state, f.reason_code, f.parsed_kind, f.nested])).toEqual([
      ['1', 'Hồ sơ sáng kiến.zip', 'skipped', null, null, false],
      ['1.1', 'Biểu đăng ký sáng kiến - huyện Thanh Trì.docx', 'parsed', null, 'registration', true],
      ['1.2', '412-UBND-NV (bản ký).pdf', 'parsed', null, 'not_a_form', true],
      ['1.3', 'Báo cáo kết quả.odt', 'parsed', null, 'results_report', true],
    ]);
    // Counted as the agency's registration (two initiatives, the district's quota), its report linked to them.
    const submissions = await db()
      .selectFrom('submissions')
      .innerJoin('agencies', 'agencies.id', 'submissions.agency_id')
      .select(['submissions.kind', 'submissions.status', 'submissions.reference', 'agencies.code'])
      .where(
        'submissions.attachment_id',
        'in',
        files.map((f) => f.id),
      )
      .orderBy('submissions.id')
      .execute();
    expect(submissions.map((s) => [s.kind, s.status, s.code])).toEqual([
      ['registration', 'active', 'huyen-thanh-tri'],
      ['results_report', 'active', 'huyen-thanh-tri'],
    ]);
    const initiatives = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select(['initiatives.title'])
      .where('agencies.code', '=', 'huyen-thanh-tri')
      .where('initiatives.status', '=', 'active')
      .execute();
    expect(initiatives).toHaveLength(2);
    // Nothing waits for a person.
    const items = await itemsForReview(db());
    expect(items.filter((i) => JSON.stringify(i).includes(message.id))).toEqual([]);
    // The reply names the form inside the archive, with its reference, and the scan as the signed copy.
    const reply = await waitFor(() => env.smtp.inbox(THANH_TRI)[0], { what: 'the acknowledgement' });
    const reference = submissions[0]?.reference ?? '';
    expect(reply.parsed.subject).toContain(`số tiếp nhận ${reference}`);
    expect(reply.parsed.text).toContain(
      '* Tệp Biểu đăng ký sáng kiến - huyện Thanh Trì.docx trong tệp nén Hồ sơ sáng kiến.zip',
    );
    expect(reply.parsed.text).toContain(
      `Đã tiếp nhận Biểu đăng ký (số tiếp nhận: ${reference}) gồm 02 sáng kiến`,
    );
    expect(reply.parsed.text).toContain('* Tệp 412-UBND-NV (bản ký).pdf trong tệp nén Hồ sơ sáng kiến.zip');
    expect(reply.parsed.text).toContain('lưu làm bản có chữ ký');
    expect(reply.parsed.text).toContain('* Tệp Báo cáo kết quả.odt trong tệp nén Hồ sơ sáng kiến.zip');
    expect(reply.parsed.text).toContain('Đây là tệp nén; các tệp trong tệp nén được xử lý riêng');
    expect(reply.parsed.html).toContain('trong tệp nén Hồ sơ sáng kiến.zip');
  });

  it('reads a form saved as Rich Text under the name .doc, and refuses a .rar with advice to unpack it', async () => {
    const rtf = rtfOf((await readDocx(readFileSync(fixture('forms', 'dk-so-tu-phap.docx')))).blocks);
    await env.deliverAndSettle(
      mailWith({
        from: `Văn thư Sở Tư pháp <${TU_PHAP}>`,
        subject: 'Đăng ký sáng kiến CCHC 2021 - Sở Tư pháp',
        id: 'rtf-tu-phap',
        files: [
          { name: 'Bieu dang ky.doc', bytes: rtf },
          { name: 'Ho so.rar', bytes: Buffer.from('Rar!\x1a\x07\x01\x00rest of it', 'latin1') },
        ],
      }),
    );
    const message = await db()
      .selectFrom('messages')
      .select('id')
      .where('message_id', '=', '<rtf-tu-phap@test.example>')
      .executeTakeFirstOrThrow();
    const files = await filesOf(message.id);
    expect(files.map((f) => [f.filename, f.state, f.reason_code, f.parsed_kind])).toEqual([
      ['Bieu dang ky.doc', 'parsed', null, 'registration'],
      ['Ho so.rar', 'rejected', 'archive_format', null],
    ]);
    const reply = await waitFor(() => env.smtp.inbox(TU_PHAP)[0], { what: 'the acknowledgement' });
    expect(reply.parsed.text).toContain('Đã tiếp nhận Biểu đăng ký');
    expect(reply.parsed.text).toContain('giải nén và gửi lại tệp Word');
  });
});
