import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dueWords } from '../../src/domain/deadlines.js';
import { INITIATIVE_FIELDS } from '../../src/domain/initiative-fields.js';
import { officeInSentence } from '../../src/domain/labels.js';
import { MailRenderer, type RenderedMail } from '../../src/mail/render.js';
import { REJECTION_ADVICE } from '../../src/parser/parse-errors.js';
import {
  type AckFile,
  type AckViewInput,
  acknowledgementView,
} from '../../src/registry/letters/acknowledgement-view.js';
import { resendRequestView } from '../../src/registry/letters/resend-request-view.js';
import { projectDir } from '../helpers/paths.js';

// Every kind of mail the office sends, rendered from its view model through the real templates, read as a
// Vietnamese reader would: every date in the Decree 30/2020 form, one word per concept, the form's own labels,
// a contact with a phone, a closing sentence with the office as its subject, no date already past asked for.

const renderer = new MailRenderer(join(projectDir, 'templates'));
const OFFICE = 'Sở Nội vụ Hà Nội - Phòng Cải cách hành chính';
const CONTACT = 'bà Nguyễn Thị Minh Hằng, chuyên viên Phòng Cải cách hành chính, điện thoại 024 3555 0199';
const INBOX = 'phongcchc_sonv@hanoi.gov.vn';

/** A day as Decree 30/2020 writes it: 05/8/2021, 31/7/2021, 03/02/2022. */
const DECREE_DAY = /^(0[1-9]|[12]\d|3[01])\/([3-9]|1[0-2]|0[12])\/\d{4}$/;
/** Words the office no longer uses: each concept has one word (src/domain/labels.ts). */
const RETIRED = [
  /chỉ tiêu/i,
  /Số hồ sơ/,
  /Số tối thiểu/,
  /\bmuộn\b/i,
  /Nội dung tóm tắt/,
  /Chưa rõ/,
  /trước ngày/,
  /hạn cuối: hết/,
  /Tệp đính kèm thứ/,
  /^Trân trọng\.$/m,
  /macro \(\.docm\)/,
  /tệp đơn giản hơn/,
  /giải nén quá lớn/,
];

function problems(mail: RenderedMail): string[] {
  const found: string[] = [];
  const all = `${mail.subject}\n${mail.text}`;
  for (const d of all.match(/\b\d{1,2}\/\d{1,2}\/\d{4}\b/g) ?? [])
    if (!DECREE_DAY.test(d)) found.push(`date not in the Decree 30 form: ${d}`);
  for (const w of RETIRED) if (w.test(all)) found.push(`retired wording: ${w}`);
  if (!mail.text.includes(CONTACT)) found.push('no contact with a phone');
  if (!mail.text.includes(`${officeInSentence(OFFICE)} `)) found.push('no closing sentence by the office');
  return found;
}

const initiative = {
  title: 'Ứng dụng mã QR tra cứu tình trạng hồ sơ',
  summary: 'In mã QR trên Giấy tiếp nhận hồ sơ',
  necessity: 'Giảm cuộc gọi hỏi tiến độ',
  expected_results: 'Người dân tự tra cứu',
  timeline: 'Tháng 8/2021 - tháng 11/2021',
  lead_unit: 'Văn phòng Sở',
};
const submission = (
  o: Partial<NonNullable<AckFile['submission']>> = {},
): NonNullable<AckFile['submission']> => ({
  kind: 'registration',
  status: 'active',
  reference: 'CCHC-2021-00001',
  review_reasons: [],
  supersedes_id: null,
  initiatives: [initiative],
  results: [],
  ...o,
});
const file = (o: Partial<AckFile> = {}): AckFile => ({
  filename: 'Bieu dang ky.docx',
  state: 'parsed',
  reason_code: null,
  warnings: [],
  submission: submission(),
  ...o,
});
const standing = (o: Partial<NonNullable<AckViewInput['standing']>> = {}) => ({
  agencyName: 'UBND huyện Thanh Trì',
  year: 2021,
  registered: 1,
  required: 2,
  shortBy: 1,
  met: false,
  due: { deadline: '2021-07-31', lastDay: '2021-08-02' },
  ...o,
});
const ack = (o: Partial<AckViewInput>) => {
  const view = acknowledgementView({
    office: OFFICE,
    inboxAddress: INBOX,
    zone: 'Asia/Ho_Chi_Minh',
    receivedAt: new Date('2021-07-26T02:14:00Z'),
    subject: 'Đăng ký sáng kiến CCHC 2021',
    rawSize: 40_000,
    rejectReason: null,
    maxMessageBytes: 30 * 1024 * 1024,
    senderAgencyName: 'UBND huyện Thanh Trì',
    files: [file()],
    minimal: false,
    contact: CONTACT,
    standing: standing(),
    deadlines: { registration: '2021-07-31', results_report: '2021-11-30' },
    advice: REJECTION_ADVICE,
    ...o,
  });
  return { view, mail: renderer.render('acknowledgement', view) };
};

describe('every mail the office sends, as a Vietnamese reader reads it', () => {
  const cases: [string, () => RenderedMail][] = [
    ['an acknowledgement of a registration, short of the quota', () => ack({}).mail],
    [
      'an acknowledgement of a late registration, still short (after the deadline)',
      () =>
        ack({
          receivedAt: new Date('2021-08-05T02:14:00Z'),
          files: [file({ submission: submission({ late: true }) })],
        }).mail,
    ],
    [
      'a held form from a stranger',
      () =>
        ack({
          minimal: true,
          senderAgencyName: null,
          standing: null,
          files: [
            file({
              submission: submission({ status: 'pending_review', review_reasons: ['unknown_sender'] }),
            }),
          ],
        }).mail,
    ],
    [
      'an agency mismatch',
      () =>
        ack({
          standing: null,
          files: [
            file({
              submission: submission({
                status: 'pending_review',
                review_reasons: ['agency_mismatch'],
                formAgencyName: 'UBND huyện Gia Lâm',
              }),
            }),
          ],
        }).mail,
    ],
    [
      'a cover letter alone',
      () => ack({ standing: null, files: [file({ filename: 'Cong van.docx', submission: null })] }).mail,
    ],
    [
      'a revision',
      () =>
        ack({
          files: [
            file({
              submission: submission({
                replaces: { reference: 'CCHC-2021-00001', receivedAt: new Date('2021-07-23T03:00:00Z') },
                changes: {
                  replaced: [{ old: initiative.title, new: initiative.title }],
                  dropped: ['Cũ'],
                  kept: [],
                },
              }),
            }),
          ],
        }).mail,
    ],
    [
      'a results report with results still missing',
      () =>
        ack({
          standing: null,
          receivedAt: new Date('2021-11-20T02:00:00Z'),
          stillUnreported: ['Tổ một cửa lưu động'],
          files: [
            file({
              submission: submission({
                kind: 'results_report',
                initiatives: [],
                results: [{ title: initiative.title, status: 'unknown', needs_review: false }],
              }),
            }),
          ],
        }).mail,
    ],
    ...Object.keys(REJECTION_ADVICE).map((code): [string, () => RenderedMail] => [
      `a file refused: ${code}`,
      () =>
        ack({ standing: null, files: [file({ state: 'rejected', reason_code: code, submission: null })] })
          .mail,
    ]),
    [
      'a request to resend',
      () =>
        renderer.render(
          'resend-request',
          resendRequestView({
            office: OFFICE,
            inboxAddress: INBOX,
            zone: 'Asia/Ho_Chi_Minh',
            receivedAt: new Date('2021-08-05T02:14:00Z'),
            subject: 'Sở GTVT đăng ký',
            rawSize: 1000,
            rejectReason: null,
            maxMessageBytes: 1e6,
            senderAgencyName: 'Sở Giao thông vận tải',
            files: [file({ state: 'rejected', reason_code: 'macro_enabled', submission: null })],
            minimal: false,
            contact: CONTACT,
            reviewReasons: [],
            advice: REJECTION_ADVICE,
            note: null,
          }),
        ),
    ],
    ...(['registration', 'results'] as const).flatMap((phase): [string, () => RenderedMail][] =>
      (['reminder', 'overdue'] as const).map((kind) => [
        `the ${phase} ${kind}`,
        () =>
          renderer.render(kind, {
            office: OFFICE,
            officeName: officeInSentence(OFFICE),
            contact: CONTACT,
            document: 'Văn bản số 1980/SNV-CCHC ngày 12/7/2021 của Sở Nội vụ',
            heading: 'Nhắc hạn',
            agencyName: 'Ban Dân tộc',
            kindLabel: 'sở, ban, ngành',
            year: 2021,
            results: phase === 'results',
            due: dueWords(
              { deadline: phase === 'results' ? '2021-11-30' : '2021-07-31', lastDay: '2021-08-02' },
              kind === 'overdue' ? '2021-08-03' : '2021-07-23',
            ),
            today: kind === 'overdue' ? '03/8/2021' : '23/7/2021',
            daysLeft: 8,
            required: '01',
            registered: '00',
            noneYet: true,
            shortBy: '01',
            missingTitles: ['Số hóa hồ sơ'],
            inboxAddress: INBOX,
          }),
      ]),
    ),
  ];

  it.each(cases)('%s', (_, render) => {
    expect(problems(render())).toEqual([]);
  });

  it('never calls a held form accepted, and says it does not count yet', () => {
    const { view, mail } = ack({
      files: [
        file({ submission: submission({ status: 'pending_review', review_reasons: ['unknown_sender'] }) }),
      ],
    });
    expect(view.subject).toMatch(
      /^Đã nhận Biểu đăng ký sáng kiến CCHC – số tiếp nhận CCHC-2021-00001 – chờ Phòng CCHC xác nhận/,
    );
    expect(view.heading).not.toMatch(/tiếp nhận/);
    expect(mail.text).not.toMatch(/Đã tiếp nhận/);
    expect(mail.text).toMatch(/chưa được tính/);
    expect(mail.text).toMatch(/hộp thư điện tử công vụ/);
  });

  it('names both agencies of a mismatch', () => {
    const { mail } = ack({
      files: [
        file({
          submission: submission({
            status: 'pending_review',
            review_reasons: ['agency_mismatch'],
            formAgencyName: 'UBND huyện Gia Lâm',
          }),
        }),
      ],
    });
    expect(mail.text).toContain(
      'Biểu ghi tên cơ quan là UBND huyện Gia Lâm, khác với cơ quan gửi thư (UBND huyện Thanh Trì)',
    );
  });

  it('asks by the announced day while it lies ahead, and "khẩn trương" once it has passed', () => {
    expect(ack({}).mail.text).toContain('đề nghị Quý cơ quan gửi bổ sung chậm nhất ngày 31/7/2021.');
    const late = ack({ receivedAt: new Date('2021-08-05T02:14:00Z') }).mail.text;
    expect(late).toContain('đề nghị Quý cơ quan khẩn trương gửi bổ sung.');
    expect(late).not.toMatch(/02\/8\/2021/);
  });

  it('never tells an exempt agency it meets a quota', () => {
    const { mail } = ack({ standing: standing({ required: 0, shortBy: 0, met: true }) });
    expect(mail.text).toContain('Quý cơ quan không được giao số lượng tối thiểu');
    expect(mail.text).not.toContain('đạt số lượng tối thiểu');
  });

  it('repeats what was read under the form’s own labels', () => {
    const { mail } = ack({});
    for (const f of INITIATIVE_FIELDS.filter((x) =>
      ['summary', 'necessity', 'timeline', 'lead_unit'].includes(x.name),
    ))
      expect(mail.text).toContain(`- ${f.label}: `);
  });

  it('gives a winmail.dat and a password-protected file a step to follow', () => {
    const winmail = ack({
      files: [
        file({
          filename: 'winmail.dat',
          state: 'rejected',
          reason_code: 'unsupported_type',
          submission: null,
        }),
      ],
    }).mail.text;
    expect(winmail).toMatch(/HTML/);
    const locked = ack({ files: [file({ state: 'rejected', reason_code: 'encrypted', submission: null })] })
      .mail.text;
    expect(locked).toMatch(/Encrypt with Password/);
  });
});
