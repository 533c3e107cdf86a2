import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MailRenderer } from '../../src/mail/render.js';
import type { AckFile } from '../../src/registry/letters/acknowledgement-view.js';
import { type ResendViewInput, resendRequestView } from '../../src/registry/letters/resend-request-view.js';
import { projectDir } from '../helpers/paths.js';

const file = (o: Partial<AckFile>): AckFile => ({
  filename: 'Biểu đăng ký GTVT.docm',
  state: 'rejected',
  reason_code: 'macro_enabled',
  warnings: null,
  submission: null,
  ...o,
});
const counted = (
  reference: string,
  status: 'active' | 'pending_review' = 'active',
  reasons: string[] = [],
): NonNullable<AckFile['submission']> => ({
  kind: 'registration',
  status,
  reference,
  review_reasons: reasons,
  supersedes_id: null,
  initiatives: [],
  results: [],
});
const input = (o: Partial<ResendViewInput>): ResendViewInput => ({
  office: 'Sở Nội vụ Hà Nội - Phòng Cải cách hành chính',
  inboxAddress: 'phongcchc_sonv@hanoi.gov.vn',
  zone: 'Asia/Ho_Chi_Minh',
  receivedAt: new Date('2021-07-29T04:11:11Z'),
  subject: 'Sở GTVT đăng ký sáng kiến CCHC năm 2021',
  rawSize: 40_000,
  rejectReason: null,
  maxMessageBytes: 30 * 1024 * 1024,
  senderAgencyName: 'Sở Giao thông vận tải',
  reviewReasons: [],
  files: [file({})],
  minimal: false,
  advice: {
    macro_enabled: 'Tệp .docm không được mở. Đề nghị lưu thành tệp Word thông thường (.docx) và gửi lại.',
    too_many_attachments: 'Đề nghị gửi các tệp còn lại bằng thư khác.',
    too_many_parts: 'Thư có quá nhiều phần.',
  },
  note: null,
  contact: null,
  ...o,
});

describe('the mail that asks a sender to resend', () => {
  it('names the mail by its day and each file with why it did not count, in the acknowledgement’s words', () => {
    const v = resendRequestView(input({}));
    expect(v.wanted).toBe(true);
    expect(v.subject).toBe(
      'Đề nghị gửi lại hồ sơ sáng kiến CCHC (thư nhận ngày 29/7/2021) – Sở Giao thông vận tải',
    );
    expect(v.receivedAt).toBe('11 giờ 11 phút ngày 29/7/2021');
    expect(v.files).toEqual([
      {
        filename: 'Biểu đăng ký GTVT.docm',
        reason: 'Tệp .docm không được mở. Đề nghị lưu thành tệp Word thông thường (.docx) và gửi lại.',
        resend: true,
        counted: false,
      },
    ]);
  });

  it('says a recorded file needs nothing, and has nothing to ask when every file was recorded', () => {
    const both = resendRequestView(
      input({
        files: [
          file({ state: 'parsed', reason_code: null, submission: counted('CCHC-2021-00007') }),
          file({}),
        ],
      }),
    );
    expect(both.wanted).toBe(true);
    expect(both.files[0]).toMatchObject({
      reason: 'Tệp này đã được tiếp nhận (số tiếp nhận: CCHC-2021-00007); không cần gửi lại.',
      resend: false,
    });
    const recorded = resendRequestView(
      input({
        files: [file({ state: 'parsed', reason_code: null, submission: counted('CCHC-2021-00007') })],
      }),
    );
    expect(recorded.wanted).toBe(false);
  });

  it('tells why a held form does not count', () => {
    const v = resendRequestView(
      input({
        files: [
          file({
            state: 'parsed',
            reason_code: null,
            submission: counted('CCHC-2021-00008', 'pending_review', ['agency_mismatch']),
          }),
        ],
      }),
    );
    expect(v.wanted).toBe(true);
    expect(v.files[0]?.reason).toBe(
      'Tên cơ quan ghi trên biểu khác với cơ quan gửi thư nên hồ sơ chưa được tính.',
    );
  });

  it('asks for the form when only a cover letter came, and for the files when none came', () => {
    const letter = resendRequestView(
      input({ files: [file({ state: 'parsed', reason_code: null, warnings: [] })] }),
    );
    expect(letter).toMatchObject({ wanted: true, missingForm: true });
    expect(resendRequestView(input({ files: [] }))).toMatchObject({ wanted: true, noAttachment: true });
    expect(resendRequestView(input({ files: [], rejectReason: 'too_large' }))).toMatchObject({
      wanted: true,
      tooLarge: true,
      noAttachment: false,
    });
  });

  it('tells an intake limit once: on the files it left unread, or for the mail', () => {
    const skipped = file({ filename: 'tep-51.docx', state: 'skipped', reason_code: 'too_many_attachments' });
    const v = resendRequestView(input({ files: [skipped], reviewReasons: ['too_many_attachments'] }));
    expect(v.mailAdvice).toEqual([]);
    expect(v.files[0]?.reason).toBe('Tệp này chưa được đọc. Đề nghị gửi các tệp còn lại bằng thư khác.');
    const parts = resendRequestView(input({ reviewReasons: ['too_many_parts', 'unknown_sender'] }));
    expect(parts.mailAdvice).toEqual(['Thư có quá nhiều phần.']);
  });

  it('tells a stranger only what happened to the files', () => {
    const v = resendRequestView(input({ minimal: true }));
    expect(v.files[0]?.filename).toBe('Biểu đăng ký GTVT.docm');
    expect(v.subjectLine).toBeNull();
    expect(v.agencyName).toBeNull();
    expect(v.subject).not.toContain('Giao thông');
  });

  it('renders the staff note as text in both parts, and says a person sent it', () => {
    const renderer = new MailRenderer(join(projectDir, 'templates'));
    const note = 'Đề nghị gửi bản .docx <script>alert(1)</script>\nTrân trọng cảm ơn.';
    const m = renderer.render('resend-request', resendRequestView(input({ note })));
    expect(m.html).toContain('Đề nghị gửi bản .docx &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.html).not.toContain('<script');
    expect(m.text).toContain(`Ý kiến của cán bộ Phòng CCHC:\n${note}`);
    expect(m.text).toContain('* Biểu đăng ký GTVT.docm');
    expect(m.text).toContain('Thư này do cán bộ Phòng CCHC gửi từ hộp thư phongcchc_sonv@hanoi.gov.vn.');
    expect(m.text).not.toContain('gửi tự động');
    expect(m.html).toContain('Thư này do cán bộ Phòng CCHC gửi từ hộp thư');
  });
});
