import { isIntakeLimitCode } from '../../domain/intake-limits.js';
import { officeInSentence } from '../../domain/labels.js';
import type { ReviewReason } from '../../domain/review-reasons.js';
import { formatSize } from '../../domain/text.js';
import { formatDate, formatMomentInWords } from '../../domain/time.js';
import {
  type AckFile,
  fileOutcome,
  type MessageFacts,
  REFUSED_DEFAULT,
  strangerFileName,
} from './acknowledgement-view.js';

/** Why a held form does not count, as the sender is told when asked to send it again. */
const HELD_REASON: Partial<Record<ReviewReason, string>> = {
  unknown_sender:
    'Thư được gửi từ địa chỉ thư điện tử chưa có trong danh sách hộp thư của các cơ quan, đơn vị nên hồ sơ chưa được tính. Đề nghị gửi lại từ hộp thư điện tử công vụ của cơ quan, đơn vị đã đăng ký với Sở Nội vụ.',
  agency_mismatch: 'Tên cơ quan ghi trên biểu khác với cơ quan gửi thư nên hồ sơ chưa được tính.',
  unverified_sender: 'Chưa xác thực được địa chỉ người gửi nên hồ sơ chưa được tính.',
  no_campaign: 'Năm ghi trên biểu không thuộc đợt đăng ký nào nên hồ sơ chưa được tính.',
};
const HELD_DEFAULT = 'Hồ sơ chưa được tính.';
const FAILED =
  'Hệ thống không đọc được nội dung tệp này. Đề nghị lưu lại thành tệp Word (.docx hoặc .doc) theo mẫu và gửi lại.';

export interface ResendViewInput extends MessageFacts {
  /** The message's own review reasons: the intake limits and an unreadable structure are told from them. */
  reviewReasons: readonly string[];
  /** What the sender is told for each reason a file was refused or not read (the acknowledgement's advice). */
  advice: Readonly<Record<string, string>>;
  /** The staff member's words to the sender, if any: shown as they wrote them (escaped). */
  note: string | null;
}

/** What the sender is told of one file, and whether it is one to send again. */
function fileLine(f: AckFile, advice: string) {
  const outcome = fileOutcome(f);
  const s = f.submission;
  if (s?.status === 'pending_review') {
    const why = [...new Set(s.review_reasons.map((r) => HELD_REASON[r as ReviewReason] ?? HELD_DEFAULT))];
    return { reason: why.join(' ') || HELD_DEFAULT, resend: true, counted: false };
  }
  switch (outcome) {
    case 'rejected':
      return {
        reason: advice || REFUSED_DEFAULT,
        resend: true,
        counted: false,
      };
    case 'skipped':
      return { reason: `Tệp này chưa được đọc. ${advice}`, resend: true, counted: false };
    case 'failed':
      return { reason: FAILED, resend: true, counted: false };
    case 'registration':
    case 'results':
    case 'duplicate': {
      const reference = s?.reference ? ` (số tiếp nhận: ${s.reference})` : '';
      return {
        reason: `Tệp này đã được tiếp nhận${reference}; không cần gửi lại.`,
        resend: false,
        counted: true,
      };
    }
    case 'scanned':
      return {
        reason: 'Tệp này là bản chụp (bản quét) nên không đọc được nội dung.',
        resend: false,
        counted: false,
      };
    case 'not_a_form':
      return {
        reason: 'Tệp này không phải Biểu đăng ký hoặc Báo cáo kết quả theo mẫu.',
        resend: false,
        counted: false,
      };
  }
}

/**
 * The view model of the mail that asks a sender to send a message's files again, with why each one did not
 * count; `wanted` is false when there is nothing to ask for (every file was recorded). Pure.
 */
export function resendRequestView(input: ResendViewInput) {
  const files = input.files.flatMap((f, n) => {
    const advice = input.advice[f.reason_code ?? ''] ?? '';
    // A forwarded mail's container, or an automatic mail's file: not the sender's to send again.
    if (fileOutcome(f) === 'skipped' && !advice) return [];
    return [
      { filename: input.minimal ? strangerFileName(f.filename, n) : f.filename, ...fileLine(f, advice) },
    ];
  });
  const tooLarge = input.rejectReason === 'too_large';
  const noAttachment = input.files.length === 0 && !tooLarge;
  // Parts of the mail that were not read at all (too many parts, nested too deep, a broken structure).
  const toldByFile = new Set(input.files.map((f) => f.reason_code));
  const mailAdvice = input.reviewReasons.flatMap((r) =>
    isIntakeLimitCode(r) && !toldByFile.has(r) && input.advice[r] ? [input.advice[r]] : [],
  );
  // Only papers that are not forms (a cover letter, a scan): the form itself is what is missing.
  const missingForm = files.length > 0 && files.every((f) => !f.resend && !f.counted);
  const wanted =
    tooLarge || noAttachment || mailAdvice.length > 0 || missingForm || files.some((f) => f.resend);
  const agencyName = input.minimal ? null : input.senderAgencyName;
  const receivedDay = formatDate(input.receivedAt, input.zone);
  return {
    wanted,
    subject: [`Đề nghị gửi lại hồ sơ sáng kiến CCHC (thư nhận ngày ${receivedDay})`, agencyName]
      .filter(Boolean)
      .join(' – '),
    heading: 'Đề nghị gửi lại hồ sơ',
    office: input.office,
    officeName: officeInSentence(input.office),
    agencyName,
    receivedAt: formatMomentInWords(input.receivedAt, input.zone),
    subjectLine: input.minimal ? null : input.subject,
    tooLarge,
    size: formatSize(input.rawSize),
    limit: formatSize(input.maxMessageBytes),
    noAttachment,
    mailAdvice,
    missingForm,
    files,
    note: input.note?.trim() || null,
    inboxAddress: input.inboxAddress,
    contact: input.contact,
    /** The footer says a person sent it, not the system by itself. */
    byStaff: true,
  };
}
