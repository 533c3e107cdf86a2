import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REJECTION_ADVICE } from '../../src/parser/parse-errors.js';
import { mailWith, registrationDocx, resultsDocx } from '../helpers/form-mail.js';
import { htmlProblems, MAIL_HEADING, MAIL_OFFICE } from '../helpers/mail-html.js';
import { OperationsEnv } from '../helpers/operations-env.js';

// The acknowledgements of the cases the demo mails do not show, as reviewed files beside theirs (test/golden/):
// a late form still short of the quota, a form held from a stranger, an agency mismatch, a results report with
// initiatives still unreported, and one refusal of each reason. Produced without SMTP, as they wait in the outbox.
// The files hold the subject and the text part; the HTML part is checked against them for what it says
// (test/helpers/mail-html.ts), as the demo mails' are.
// After a reviewed change: npx vitest run --project operations test/operations/mail-golden-cases.test.ts -u

const GOLDEN = join(import.meta.dirname, '..', 'golden');
const HANOI = 'UBND THÀNH PHỐ HÀ NỘI';
const THANH_TRI = 'vanthu_thanhtri@hanoi.gov.vn';
/** When the mails without a date of their own arrive (mailWith's default Date header): before the deadline. */
const ON_TIME = new Date('2021-07-26T02:00:00Z');

const mask = (s: string) =>
  s
    .replace(/CCHC-\d{4}-\d{5,}/g, 'CCHC-YYYY-NNNNN')
    .replace(/\r\n/g, '\n')
    .trimEnd();
const asFile = (m: { subject: string; text: string }) =>
  `Subject: ${mask(m.subject)}\n\n--- text ---\n${mask(m.text)}\n`;

describe('the acknowledgement of each case, as reviewed', () => {
  // Mails of 2021 are answered as they were then, and one sender's many refusals each get their answer.
  const env = new OperationsEnv('golden_cases', {
    IMAP_MAX_ACK_AGE_DAYS: '100000',
    ACK_MAX_PER_SENDER_PER_HOUR: '1000',
  });
  beforeAll(() => env.setUp(), 60_000);
  afterAll(() => env.tearDown());

  /** The answer to a mail as its golden file holds it, once its HTML part is found to say the same under `heading`. */
  const answer = async (id: string, heading: string) => {
    const mail = await env.acknowledgementOf(`<${id}@test.example>`);
    expect(htmlProblems(mail, { office: MAIL_OFFICE, heading })).toEqual([]);
    return asFile(mail);
  };

  it('a late registration still short of the quota: sent after the deadline, asked for "khẩn trương"', async () => {
    await env.receive(
      mailWith({
        from: THANH_TRI,
        subject: 'Đăng ký sáng kiến CCHC 2021 - huyện Thanh Trì',
        id: 'late-short',
        date: new Date('2021-08-05T02:00:00Z'),
        files: [
          {
            name: 'Bieu dang ky Thanh Tri.docx',
            bytes: await registrationDocx(
              [HANOI, 'UBND HUYỆN THANH TRÌ'],
              [{ title: 'Thông báo kết quả giải quyết TTHC qua Zalo OA' }],
            ),
          },
        ],
      }),
      new Date('2021-08-05T02:00:00Z'),
    );
    const text = await answer('late-short', MAIL_HEADING.received);
    expect(text).toContain('khẩn trương gửi bổ sung');
    await expect(text).toMatchFileSnapshot(join(GOLDEN, 'case-late-and-short.txt'));
  });

  it('a results report with initiatives still unreported', async () => {
    await env.receive(
      mailWith({
        from: THANH_TRI,
        subject: 'Đăng ký bổ sung sáng kiến - huyện Thanh Trì',
        id: 'second-initiative',
        date: new Date('2021-08-06T02:00:00Z'),
        files: [
          {
            name: 'Bieu bo sung.docx',
            bytes: await registrationDocx(
              [HANOI, 'UBND HUYỆN THANH TRÌ'],
              [{ title: 'Tổ một cửa lưu động hỗ trợ người cao tuổi thực hiện thủ tục hành chính tại nhà' }],
              { title: 'BIỂU ĐĂNG KÝ BỔ SUNG SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2021' },
            ),
          },
        ],
      }),
      new Date('2021-08-06T02:00:00Z'),
    );
    await env.receive(
      mailWith({
        from: THANH_TRI,
        subject: 'Báo cáo kết quả sáng kiến - huyện Thanh Trì',
        id: 'results-gaps',
        date: new Date('2021-11-20T02:00:00Z'),
        files: [
          {
            name: 'Bao cao ket qua.docx',
            bytes: await resultsDocx(
              [HANOI, 'UBND HUYỆN THANH TRÌ'],
              [{ title: 'Thông báo kết quả giải quyết TTHC qua Zalo OA', status: 'Đã hoàn thành' }],
            ),
          },
        ],
      }),
      new Date('2021-11-20T02:00:00Z'),
    );
    const text = await answer('results-gaps', MAIL_HEADING.received);
    expect(text).toContain('chưa có báo cáo kết quả thực hiện');
    await expect(text).toMatchFileSnapshot(join(GOLDEN, 'case-results-with-gaps.txt'));
  });

  it('a form held from an address outside the registry: received, not counted, and how to have it counted', async () => {
    await env.receive(
      mailWith({
        from: 'vanthu.melinh@gmail.com',
        subject: 'Đăng ký sáng kiến CCHC',
        id: 'held-stranger',
        files: [
          {
            name: 'Dang ky Me Linh.docx',
            bytes: await registrationDocx([HANOI, 'UBND HUYỆN MÊ LINH'], [{ title: 'Số hóa hồ sơ đất đai' }]),
          },
        ],
      }),
      ON_TIME,
    );
    const text = await answer('held-stranger', MAIL_HEADING.held);
    expect(text).not.toContain('Đã tiếp nhận');
    await expect(text).toMatchFileSnapshot(join(GOLDEN, 'case-held-stranger.txt'));
  });

  it('an agency mismatch, naming both agencies', async () => {
    await env.receive(
      mailWith({
        from: 'vanthu_soyt@hanoi.gov.vn',
        subject: 'Gửi biểu đăng ký',
        id: 'mismatch',
        files: [
          {
            name: 'Bieu dang ky.docx',
            bytes: await registrationDocx(
              [HANOI, 'SỞ XÂY DỰNG'],
              [{ title: 'Cấp phép xây dựng trực tuyến' }],
            ),
          },
        ],
      }),
      ON_TIME,
    );
    const text = await answer('mismatch', MAIL_HEADING.held);
    expect(text).toMatch(/Sở Xây dựng.*Sở Y tế/s);
    await expect(text).toMatchFileSnapshot(join(GOLDEN, 'case-agency-mismatch.txt'));
  });

  it.each(Object.keys(REJECTION_ADVICE))('a file refused: %s', async (code) => {
    const name = `tep-${code}.docx`;
    env.readAs(name, { ok: false, error: { code: code as keyof typeof REJECTION_ADVICE, message: code } });
    await env.receive(
      mailWith({
        from: 'vanthu_soyt@hanoi.gov.vn',
        subject: 'Đăng ký sáng kiến CCHC - Sở Y tế',
        id: `refused-${code}`,
        files: [{ name, bytes: Buffer.from(`not read: ${code}`) }],
      }),
      ON_TIME,
    );
    await expect(await answer(`refused-${code}`, MAIL_HEADING.nothingRead)).toMatchFileSnapshot(
      join(GOLDEN, `case-refused-${code}.txt`),
    );
  });
});
