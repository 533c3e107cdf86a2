import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDigest } from '../../src/registry/letters/digest.js';
import { buildDocx, header } from '../helpers/form-builder.js';
import { mailWith } from '../helpers/form-mail.js';
import { htmlProblems, MAIL_OFFICE } from '../helpers/mail-html.js';
import { OperationsEnv } from '../helpers/operations-env.js';

// The staff digest of one evening, as reviewed (test/golden/digest-day.txt): Thursday 05/8/2021, three days after
// the registration deadline really ended (31/7 was a Saturday: on time until 02/8). Before it, four agencies
// registered (one on the Monday the deadline moved to) and the digest of the evening before went out. That day:
// a district's registration came late and short of its quota, a form came from a personal mailbox and another
// named an agency other than its sender's (both held), a district reported the results of one of its two
// initiatives, a department reported a result that matches none of its initiatives, and a file came with a
// password. The file holds the subject and the text part; the HTML part is checked against it for what it says.
// After a reviewed change: npx vitest run --project operations test/operations/digest-golden.test.ts -u

const GOLDEN = join(import.meta.dirname, '..', 'golden');
const HANOI = 'UBND THÀNH PHỐ HÀ NỘI';
const HEADING = 'Tổng hợp tình hình sáng kiến CCHC năm 2021';

/** A registration as the office's form lays it out, with its own labels, each initiative's row filled in. */
const registrationForm = (agencyLine: string, titles: readonly string[]) =>
  buildDocx([
    ...header(
      [HANOI, agencyLine],
      'BIỂU ĐĂNG KÝ SÁNG KIẾN, GIẢI PHÁP, Ý TƯỞNG MỚI VỀ CẢI CÁCH HÀNH CHÍNH NĂM 2021',
    ),
    {
      table: [
        [
          'STT',
          'Tên sáng kiến, giải pháp, ý tưởng mới',
          'Mô tả tóm tắt nội dung',
          'Sự cần thiết áp dụng',
          'Dự kiến kết quả đạt được',
          'Thời gian thực hiện',
          'Đơn vị chủ trì',
          'Ghi chú',
        ],
        ...titles.map((title, n) => [
          String(n + 1),
          title,
          `Triển khai ${title.toLowerCase()} tại bộ phận một cửa của đơn vị.`,
          'Giảm thời gian đi lại và chờ đợi của người dân, tổ chức.',
          'Người dân, tổ chức hài lòng hơn; rút ngắn thời gian giải quyết hồ sơ.',
          'Tháng 8/2021 - tháng 12/2021',
          'Văn phòng',
          '',
        ]),
      ],
    },
  ]);

/** A results report as the office's form lays it out. */
const resultsForm = (agencyLine: string, results: readonly { title: string; status: string }[]) =>
  buildDocx([
    ...header([HANOI, agencyLine], 'BÁO CÁO KẾT QUẢ THỰC HIỆN SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2021'),
    {
      table: [
        ['STT', 'Tên sáng kiến, giải pháp, ý tưởng mới', 'Kết quả thực hiện', 'Hiệu quả đạt được'],
        ...results.map((r, n) => [String(n + 1), r.title, r.status, 'Rút ngắn thời gian giải quyết hồ sơ']),
      ],
    },
  ]);

const mask = (s: string) =>
  s
    .replace(/CCHC-\d{4}-\d{5,}/g, 'CCHC-YYYY-NNNNN')
    // When the previous digest went out: the moment the test ran.
    .replace(/\d{2} giờ \d{2} phút ngày \d{1,2}\/\d{1,2}\/\d{4}/g, 'HH giờ MM phút ngày DD/M/YYYY')
    .replace(/\r\n/g, '\n')
    .trimEnd();

/**
 * The text lines the HTML part lays out as a row: a new form's cells, an agency's (its name, then quota,
 * registered, reported, short by and last form, as the table's columns), a progress bar's label and figures.
 */
function partsOf(line: string): string[] | null {
  const submission = /^- (CCHC-\S+) \| (.+)$/.exec(line);
  if (submission?.[1] && submission[2]) {
    const [agency = '', what = '', status = '', late] = submission[2].split(' | ');
    return [submission[1], agency, what, late ? `${status} (${late})` : status];
  }
  const agency =
    /^- (.+?)(?: \(gồm (.+)\))?: đã đăng ký (\d+)\/(\d+)(?:, còn thiếu (\d+))?, đã báo cáo kết quả (\d+)(?:, gửi lần cuối ngày (\S+))?$/.exec(
      line,
    );
  if (agency) {
    const [, name = '', members, registered = '', quota = '', shortBy, reported = '', last] = agency;
    return [
      members ? `${name} gồm ${members}` : name,
      quota,
      registered,
      reported,
      shortBy ?? '—',
      ...(last ? [last] : []),
    ];
  }
  const bar = /^- (.+): (\d+\/\d+ \(\d+%\))(?:; (.+))?$/.exec(line);
  if (bar?.[1] && bar[2]) return [bar[1], bar[3] ? `${bar[2]} ${bar[3]}` : bar[2]];
  return null;
}

describe('the staff digest, as reviewed', () => {
  const env = new OperationsEnv('golden_digest', {
    IMAP_MAX_ACK_AGE_DAYS: '100000',
    STAFF_EMAILS: 'phongcchc_sonv@hanoi.gov.vn',
    CONSOLE_URL: 'https://cchc.sonoivu.hanoi.gov.vn',
  });

  /** A registration from an agency's address, arriving at `at`. */
  const register = async (
    id: string,
    from: string,
    agencyLine: string,
    titles: string[],
    at: string,
    filename = 'Bieu dang ky sang kien CCHC 2021.docx',
  ) => {
    const when = new Date(at);
    await env.receive(
      mailWith({
        from,
        subject: `Đăng ký sáng kiến CCHC năm 2021 - ${agencyLine}`,
        id,
        date: when,
        files: [
          {
            name: filename,
            bytes: await registrationForm(agencyLine, titles),
          },
        ],
      }),
      when,
    );
  };
  const report = async (
    id: string,
    from: string,
    agencyLine: string,
    results: { title: string; status: string }[],
    at: string,
  ) => {
    const when = new Date(at);
    await env.receive(
      mailWith({
        from,
        subject: `Báo cáo kết quả thực hiện sáng kiến CCHC năm 2021 - ${agencyLine}`,
        id,
        date: when,
        files: [{ name: 'Bao cao ket qua sang kien.docx', bytes: await resultsForm(agencyLine, results) }],
      }),
      when,
    );
  };

  beforeAll(async () => {
    await env.setUp();
    // Before the day.
    await register(
      'tp',
      'vanthu_sotp@hanoi.gov.vn',
      'SỞ TƯ PHÁP',
      ['Ứng dụng mã QR tra cứu hồ sơ lý lịch tư pháp'],
      '2021-07-22T02:10:00Z',
    );
    await register(
      'bd',
      'vanthu_badinh@hanoi.gov.vn',
      'UBND QUẬN BA ĐÌNH',
      ['Bộ phận một cửa không giấy tờ', 'Trả kết quả thủ tục hành chính tại nhà qua bưu điện'],
      '2021-07-28T03:20:00Z',
    );
    await register(
      'yt',
      'vanthu_soyt@hanoi.gov.vn',
      'SỞ Y TẾ',
      ['Đặt lịch khám chữa bệnh trực tuyến'],
      '2021-07-30T08:00:00Z',
    );
    await register(
      'gl',
      'vanthu_gialam@hanoi.gov.vn',
      'UBND HUYỆN GIA LÂM',
      ['Số hóa hồ sơ hộ tịch'],
      '2021-08-02T07:30:00Z',
    );
    await sendDigest(env.deps, new Date('2021-08-04T10:00:00Z'), 'digest-hanoi-2021-2021-08-04');

    // The day: 05/8/2021.
    await register(
      'tt',
      'vanthu_thanhtri@hanoi.gov.vn',
      'UBND HUYỆN THANH TRÌ',
      ['Thông báo kết quả giải quyết TTHC qua Zalo OA'],
      '2021-08-05T01:40:00Z',
    );
    await register(
      'ml',
      'vanthu.melinh@gmail.com',
      'UBND HUYỆN MÊ LINH',
      ['Số hóa hồ sơ đất đai'],
      '2021-08-05T02:15:00Z',
      'Dang ky Me Linh.docx',
    );
    await register(
      'xd',
      'vanthu_soyt@hanoi.gov.vn',
      'SỞ XÂY DỰNG',
      ['Cấp phép xây dựng trực tuyến'],
      '2021-08-05T03:05:00Z',
      'Bieu dang ky SXD.docx',
    );
    await report(
      'bd-kq',
      'vanthu_badinh@hanoi.gov.vn',
      'UBND QUẬN BA ĐÌNH',
      [{ title: 'Bộ phận một cửa không giấy tờ', status: 'Đã hoàn thành' }],
      '2021-08-05T04:00:00Z',
    );
    await report(
      'tp-kq',
      'vanthu_sotp@hanoi.gov.vn',
      'SỞ TƯ PHÁP',
      [{ title: 'Tổng đài tư vấn pháp luật miễn phí', status: 'Đang thực hiện' }],
      '2021-08-05T06:30:00Z',
    );
    env.readAs('Bieu dang ky SCT.docx', { ok: false, error: { code: 'encrypted', message: 'encrypted' } });
    await env.receive(
      mailWith({
        from: 'vanthu_soct@hanoi.gov.vn',
        subject: 'Đăng ký sáng kiến CCHC năm 2021 - Sở Công Thương',
        id: 'ct',
        date: new Date('2021-08-05T08:45:00Z'),
        files: [{ name: 'Bieu dang ky SCT.docx', bytes: Buffer.from('password protected') }],
      }),
      new Date('2021-08-05T08:45:00Z'),
    );
    await sendDigest(env.deps, new Date('2021-08-05T10:00:00Z'), 'digest-hanoi-2021-2021-08-05');
  }, 120_000);
  afterAll(() => env.tearDown());

  it('tells the staff what came, what waits for them and who is short, as reviewed', async () => {
    const mail = await env.db
      .selectFrom('outbox')
      .select(['subject', 'text', 'html'])
      .where('dedupe_key', '=', 'digest-hanoi-2021-2021-08-05')
      .executeTakeFirstOrThrow();
    await expect(`Subject: ${mask(mail.subject)}\n\n--- text ---\n${mask(mail.text)}\n`).toMatchFileSnapshot(
      join(GOLDEN, 'digest-day.txt'),
    );
    expect(
      htmlProblems(mail, { office: MAIL_OFFICE, heading: HEADING, partsOf, htmlOnlyLinks: /\/agencies\// }),
    ).toEqual([]);
  });
});
