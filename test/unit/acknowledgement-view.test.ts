import { describe, expect, it } from 'vitest';
import {
  type AckFile,
  type AckViewInput,
  acknowledgementView,
  fileOutcome,
} from '../../src/registry/letters/acknowledgement-view.js';

const registration = (
  o: Partial<NonNullable<AckFile['submission']>> = {},
): NonNullable<AckFile['submission']> => ({
  kind: 'registration',
  status: 'active',
  reference: 'CCHC-2021-00001',
  review_reasons: [],
  supersedes_id: null,
  initiatives: [
    { title: 'Số hóa hồ sơ lý lịch tư pháp', timeline: 'Tháng 8 - 12/2021' },
    { title: 'Trả kết quả qua bưu chính', timeline: null },
  ],
  results: [],
  ...o,
});
const file = (o: Partial<AckFile>): AckFile => ({
  filename: 'Bieu dang ky.docx',
  state: 'parsed',
  reason_code: null,
  warnings: [],
  submission: null,
  ...o,
});
const input = (o: Partial<AckViewInput>): AckViewInput => ({
  office: 'Sở Nội vụ Hà Nội - Phòng Cải cách hành chính',
  inboxAddress: 'phongcchc_sonv@hanoi.gov.vn',
  zone: 'Asia/Ho_Chi_Minh',
  receivedAt: new Date('2021-07-26T02:14:00Z'),
  subject: 'Đăng ký sáng kiến CCHC 2021',
  rawSize: 40_000,
  rejectReason: null,
  maxMessageBytes: 30 * 1024 * 1024,
  contact: null,
  senderAgencyName: 'Sở Tư pháp',
  files: [],
  standing: null,
  minimal: false,
  advice: { macro_enabled: 'Lưu thành .docx và gửi lại.', too_many_attachments: 'Gửi ít tệp hơn.' },
  ...o,
});

describe('what the acknowledgement says happened to each file', () => {
  it.each<[string, AckFile, string]>([
    ['a registration read', file({ submission: registration() }), 'registration'],
    [
      'a results report read',
      file({ submission: { ...registration(), kind: 'results_report', initiatives: [] } }),
      'results',
    ],
    ['a second copy of a file', file({ submission: registration({ status: 'duplicate' }) }), 'duplicate'],
    [
      'a registration held for review',
      file({ submission: registration({ status: 'pending_review' }) }),
      'registration',
    ],
    ['a cover letter', file({}), 'not_a_form'],
    ['a scan', file({ warnings: ['scanned'] }), 'scanned'],
    ['a macro file', file({ state: 'rejected', reason_code: 'macro_enabled' }), 'rejected'],
    [
      'a file our worker could not process',
      file({ state: 'failed', reason_code: 'processing_failed' }),
      'failed',
    ],
    ['a forwarded mail (its files are read on their own)', file({ state: 'skipped' }), 'skipped'],
  ])('%s', (_name, f, outcome) => {
    expect(fileOutcome(f)).toBe(outcome);
  });
});

describe('the acknowledgement’s view', () => {
  it('repeats what was read for a registry sender, with the standing', () => {
    const v = acknowledgementView(
      input({
        files: [file({ submission: registration() })],
        standing: {
          agencyName: 'Sở Tư pháp',
          year: 2021,
          registered: 2,
          required: 1,
          shortBy: 0,
          met: true,
          due: { deadline: '2021-07-31', lastDay: '2021-08-02' },
        },
      }),
    );
    expect(v).toMatchObject({
      heading: 'Xác nhận đã tiếp nhận hồ sơ',
      subject: 'Đã tiếp nhận Biểu đăng ký sáng kiến CCHC – số tiếp nhận CCHC-2021-00001 – Sở Tư pháp',
      agencyName: 'Sở Tư pháp',
      receivedAt: '09 giờ 14 phút ngày 26/7/2021',
      subjectLine: 'Đăng ký sáng kiến CCHC 2021',
      reference: 'CCHC-2021-00001',
      missingForm: false,
      noAttachment: false,
      standing: { registered: '02', required: '01', met: true, exempt: false },
    });
    expect(v.files[0]).toMatchObject({
      filename: 'Bieu dang ky.docx',
      outcome: 'registration',
      initiativeCount: '02',
    });
    expect(v.files[0]?.initiatives.map((i) => i.title)).toEqual([
      'Số hóa hồ sơ lý lịch tư pháp',
      'Trả kết quả qua bưu chính',
    ]);
  });

  it('tells a stranger only what happened: no subject, file names, titles or standing', () => {
    const v = acknowledgementView(
      input({
        senderAgencyName: null,
        minimal: true,
        files: [
          file({
            submission: registration({ status: 'pending_review', review_reasons: ['unknown_sender'] }),
          }),
        ],
        standing: {
          agencyName: 'Sở Tư pháp',
          year: 2021,
          registered: 2,
          required: 1,
          shortBy: 0,
          met: true,
          due: { deadline: '2021-07-31', lastDay: '2021-08-02' },
        },
      }),
    );
    expect(v.subjectLine).toBeNull();
    expect(v.agencyName).toBeNull();
    expect(v.standing).toBeNull();
    // The file is named as the stranger named it: it is its own; nothing else it sent is repeated.
    expect(v.files[0]).toMatchObject({
      filename: 'Bieu dang ky.docx',
      initiativeCount: '02',
      initiatives: [],
    });
    expect(v.files[0]?.pendingReview).toMatch(/chưa có trong danh sách/);
    expect(v.files[0]?.pendingReview).toMatch(/hộp thư điện tử công vụ .* hoặc liên hệ Phòng CCHC/);
    expect(JSON.stringify(v)).not.toMatch(/Số hóa|Đăng ký sáng kiến CCHC 2021/);
  });

  it('asks for the form when only a cover letter came, and gives the advice for a refused file', () => {
    expect(acknowledgementView(input({ files: [file({})] }))).toMatchObject({
      missingForm: true,
      heading: 'Thông báo về hồ sơ gửi đến',
    });
    const refused = acknowledgementView(
      input({ files: [file({ state: 'rejected', reason_code: 'macro_enabled' })] }),
    );
    expect(refused.missingForm).toBe(false);
    expect(refused.files[0]).toMatchObject({ outcome: 'rejected', advice: 'Lưu thành .docx và gửi lại.' });
    const skipped = acknowledgementView(
      input({ files: [file({ state: 'skipped', reason_code: 'too_many_attachments' })] }),
    );
    expect(skipped.files[0]?.advice).toBe('Gửi ít tệp hơn.');
    // Hundreds of files over the limit: three by name, the rest counted in one line.
    const many = acknowledgementView(
      input({
        files: [
          file({ submission: registration() }),
          ...Array.from({ length: 200 }, (_, i) =>
            file({ filename: `anh-${i}.jpg`, state: 'skipped', reason_code: 'too_many_attachments' }),
          ),
        ],
      }),
    );
    expect(many.files.map((f) => f.filename)).toEqual([
      'Bieu dang ky.docx',
      'anh-0.jpg',
      'anh-1.jpg',
      'anh-2.jpg',
      'Và 197 tệp khác',
    ]);
  });

  it('says when there was no file, or the mail was too large to open', () => {
    expect(acknowledgementView(input({ files: [] }))).toMatchObject({ noAttachment: true, tooLarge: false });
    expect(
      acknowledgementView(input({ files: [], rejectReason: 'too_large', rawSize: 40 * 1024 * 1024 })),
    ).toMatchObject({
      noAttachment: false,
      tooLarge: true,
    });
  });

  it('names the results report when that is what came', () => {
    const v = acknowledgementView(
      input({
        files: [
          file({
            submission: {
              ...registration(),
              kind: 'results_report',
              initiatives: [],
              results: [{ title: 'Số hóa hồ sơ', status: 'completed', needs_review: false }],
            },
          }),
        ],
      }),
    );
    expect(v.documentName).toBe('Báo cáo kết quả thực hiện sáng kiến CCHC');
    expect(v.files[0]?.results).toEqual([
      { title: 'Số hóa hồ sơ', status: 'Đã hoàn thành', unmatched: false },
    ]);
  });

  it('names each file taken out of a zip archive with its archive, and says what the archive itself was', () => {
    const files = [
      file({ part: '1', filename: 'Hồ sơ.zip', content_type: 'application/zip', state: 'skipped' }),
      file({ part: '1.1', filename: 'Biểu đăng ký.docx', submission: registration() }),
      file({ part: '1.2', filename: 'ban-ky.pdf', warnings: ['scanned'] }),
      file({ part: '1.3', filename: 'mat-khau.docx', state: 'rejected', reason_code: 'encrypted' }),
    ];
    const v = acknowledgementView(input({ files, advice: { encrypted: 'Gỡ mật khẩu và gửi lại.' } }));
    expect(v.files.map((f) => [f.filename, f.archive, f.outcome, f.openedArchive])).toEqual([
      ['Hồ sơ.zip', null, 'skipped', true],
      ['Biểu đăng ký.docx', 'Hồ sơ.zip', 'registration', false],
      ['ban-ky.pdf', 'Hồ sơ.zip', 'scanned', false],
      ['mat-khau.docx', 'Hồ sơ.zip', 'rejected', false],
    ]);
    expect(v.files[3]?.advice).toBe('Gỡ mật khẩu và gửi lại.');
    expect(v.reference).toBe('CCHC-2021-00001');
    // A stranger is not told the names, of the archive either.
    const minimal = acknowledgementView(input({ files, minimal: true }));
    expect(minimal.files.map((f) => f.archive)).toEqual([null, null, null, null]);
  });

  it('tells the sender of a workbook that is not a form what a readable sheet looks like', () => {
    const v = acknowledgementView(
      input({ files: [file({ filename: 'kinh-phi.xlsx', warnings: ['spreadsheet_not_a_form'] })] }),
    );
    expect(v.files[0]).toMatchObject({
      outcome: 'not_a_form',
      advice: expect.stringMatching(/mỗi sáng kiến một dòng/),
    });
  });
});
