import type {
  AgencyKind,
  AttachmentState,
  InitiativeStatus,
  ResultStatus,
  SubmissionStatus,
} from './kinds.js';
import type { ReviewReason } from './review-reasons.js';

// The Vietnamese names of the registry's closed vocabularies: templates, digest, CLI and console all take them
// from here, so a label is changed in one place.

/**
 * The office's words, one per concept, for every mail, page and report (templates reach them as
 * `{{word "reference"}}`). An initiative's fields are named by the form itself (initiative-fields.ts).
 */
export const WORD = {
  /** The number a form is given on receipt (CCHC-2021-00001). */
  reference: 'Số tiếp nhận',
  agency: 'Cơ quan, đơn vị',
  agencyKind: 'Loại cơ quan, đơn vị',
  /** What an agency must register: never "chỉ tiêu" or "số tối thiểu". */
  quota: 'Số lượng tối thiểu',
  met: 'Đạt',
  notMet: 'Chưa đạt',
  exempt: 'Không giao số lượng tối thiểu',
  registered: 'Đã đăng ký',
  reported: 'Đã báo cáo kết quả',
  shortBy: 'Còn thiếu',
  /** A form received after its agency's deadline (it still counts). */
  late: 'Gửi sau hạn',
  onTime: 'Đúng hạn',
  timeliness: 'Thời hạn gửi',
  receivedOn: 'Ngày nhận',
  receivedAt: 'Nhận lúc',
  notReported: 'Chưa báo cáo',
  held: 'Chờ Phòng CCHC xác nhận',
  technical: 'Thông tin kỹ thuật',
} as const;

type Word = keyof typeof WORD;

export const AGENCY_KIND_ORDER: Record<AgencyKind, number> = {
  department: 0,
  district: 1,
  commune: 2,
  ward: 3,
};

/** Group headings: the kinds as the source document names them. */
export const AGENCY_KIND_LABEL: Record<AgencyKind, string> = {
  department: 'Sở, ban, ngành',
  district: 'UBND quận, huyện, thị xã',
  commune: 'UBND xã',
  ward: 'UBND phường',
};

/** The kind inside a sentence ("mỗi sở, ban, ngành đăng ký…"). */
export const AGENCY_KIND_IN_SENTENCE: Record<AgencyKind, string> = {
  department: 'sở, ban, ngành',
  district: 'UBND quận, huyện, thị xã',
  commune: 'UBND xã',
  ward: 'UBND phường',
};

export const RESULT_STATUS_LABEL: Record<ResultStatus, string> = {
  completed: 'Đã hoàn thành',
  in_progress: 'Đang triển khai',
  not_started: 'Chưa thực hiện',
  unknown: 'Không xác định (báo cáo không ghi rõ)',
};

export const INITIATIVE_STATUS_LABEL: Record<InitiativeStatus, string> = {
  active: 'đang tính',
  pending_review: 'chờ xác nhận',
  superseded: 'đã được thay thế',
  withdrawn: 'đã rút',
};

/** What people did, as the history of changes names it. */
export const ACTION_LABEL: Record<string, string> = {
  confirm_submission: 'Xác nhận hồ sơ',
  correct_field: 'Sửa nội dung',
  restore_parser_reading: 'Trả lại nội dung hệ thống đọc',
  undo_correction: 'Hoàn tác nội dung sửa',
  link_result: 'Gắn kết quả với sáng kiến',
  unlink_result: 'Bỏ gắn kết quả với sáng kiến',
  dismiss_item: 'Gỡ khỏi danh sách cần xử lý',
  undo_dismiss_item: 'Đưa lại vào danh sách cần xử lý',
  clear_bounce: 'Ghi nhận địa chỉ thư dùng được trở lại',
  flag_bounce: 'Ghi nhận địa chỉ thư bị trả lại',
  replay_file: 'Đọc lại tệp bằng bộ đọc mới',
  withdraw_initiative: 'Rút sáng kiến',
  restore_initiative: 'Khôi phục sáng kiến đã rút',
  undo_confirm_submission: 'Hủy xác nhận hồ sơ',
  count_as: 'Quyết định cách tính hồ sơ (thay thế / bổ sung)',
  mark_forgery: 'Đánh dấu thư giả mạo',
  ask_resend: 'Đề nghị cơ quan, đơn vị gửi lại hồ sơ',
  request_replay: 'Yêu cầu đọc lại tệp',
  assess_initiative: 'Đánh giá hiệu quả sáng kiến',
  undo_assessment: 'Hủy đánh giá hiệu quả sáng kiến',
};

export const SUBMISSION_STATUS_LABEL: Record<SubmissionStatus, string> = {
  active: 'đã tiếp nhận',
  pending_review: 'chờ xác nhận',
  superseded: 'đã được thay thế',
  duplicate: 'trùng',
};

/** Short, for lists (digest, review list, console). */
export const REVIEW_REASON_LABEL: Record<ReviewReason, string> = {
  unknown_sender: 'người gửi chưa có trong danh sách',
  agency_mismatch: 'cơ quan trên biểu khác cơ quan gửi',
  spoofing: 'không qua kiểm tra xác thực người gửi (có thể giả mạo)',
  unverified_sender: 'chưa xác thực được người gửi',
  ambiguous_sender: 'địa chỉ người gửi (From) không rõ ràng, có thể giả mạo',
  failed_attachment: 'tệp xử lý lỗi',
  unmatched_result: 'kết quả chưa khớp sáng kiến đã đăng ký',
  too_large: 'thư vượt dung lượng',
  no_campaign: 'chưa có đợt đăng ký tương ứng',
  uncertain_fields: 'có nội dung đọc chưa chắc chắn, cần kiểm tra',
  too_many_attachments: 'thư có quá nhiều tệp đính kèm, một số tệp chưa được đọc',
  too_many_parts: 'thư có quá nhiều phần, một số phần chưa được đọc',
  too_deeply_nested: 'thư chuyển tiếp lồng nhau quá sâu, phần bên trong chưa được đọc',
  unreadable_message: 'không đọc được cấu trúc thư (đã lưu nguyên bản)',
};

/** A sentence for the sender, where a reason keeps their form from counting until staff have looked. */
export const REVIEW_REASON_NOTE: Partial<Record<ReviewReason, string>> = {
  unknown_sender:
    'Thư được gửi từ địa chỉ thư điện tử chưa có trong danh sách của các cơ quan, đơn vị; nội dung sẽ được tính sau khi cán bộ Phòng CCHC xác nhận.',
  agency_mismatch:
    'Tên cơ quan ghi trên biểu khác với cơ quan gửi thư; cán bộ Phòng CCHC sẽ kiểm tra trước khi tính.',
  spoofing: 'Thư chưa qua được kiểm tra xác thực người gửi; cán bộ Phòng CCHC sẽ kiểm tra.',
  unverified_sender:
    'Chưa xác thực được địa chỉ người gửi; nội dung sẽ được tính sau khi cán bộ Phòng CCHC xác nhận.',
  ambiguous_sender:
    'Địa chỉ người gửi của thư không rõ ràng; nội dung sẽ được tính sau khi cán bộ Phòng CCHC xác nhận.',
};

/** Short names of the reasons a file was refused, for people (never the raw code). */
export const REJECTION_LABEL: Record<string, string> = {
  corrupt_file: 'tệp bị hỏng',
  unsupported_type: 'định dạng không hỗ trợ',
  too_large: 'tệp quá lớn',
  decompression_limit: 'tệp quá lớn khi mở ra (có thể chứa nhiều ảnh)',
  macro_enabled: 'tệp Word có chứa mã lệnh (macro, đuôi .docm)',
  encrypted: 'tệp có đặt mật khẩu',
  timeout: 'tệp đọc quá thời gian cho phép',
  too_many_pages: 'tệp PDF có quá nhiều trang',
  too_many_initiatives: 'biểu có quá nhiều sáng kiến',
  rtf_unreadable: 'tệp RTF (có thể mang tên .doc) bị hỏng',
  legacy_spreadsheet: 'tệp Excel 97-2003 (.xls)',
  archive_format: 'tệp nén dạng .rar, .7z',
  archive_nested: 'tệp nén nằm trong tệp nén',
  archive_refused: 'tệp nén không mở được an toàn',
  too_many_attachments: 'thư có quá nhiều tệp, tệp này chưa được đọc',
  processing_failed: 'lỗi xử lý của hệ thống',
};

/** What became of a file, for staff (never the raw state). */
export const ATTACHMENT_STATE_LABEL: Record<AttachmentState, string> = {
  pending: 'đang xử lý',
  parsed: 'đã đọc',
  rejected: 'không đọc được',
  failed: 'lỗi xử lý',
  skipped: 'không cần đọc (thư chuyển tiếp, tệp nén hoặc tệp kèm theo)',
};

/** A label for any code a person may see: the known name, else the code itself (never empty). */
export function labelOf(labels: Partial<Record<string, string>>, code: string | null | undefined): string {
  if (!code) return '';
  return labels[code] ?? code;
}

/** A template's `{{word "…"}}`: a word of the vocabulary, and a loud failure for a word it does not have. */
export function vocabularyWord(name: unknown): string {
  if (typeof name !== 'string' || !(name in WORD))
    throw new Error(`no such word in the vocabulary: ${String(name)}`);
  return WORD[name as Word];
}

/**
 * The office as the subject of a sentence: OFFICE_NAME's parts ("Sở Nội vụ Hà Nội - Phòng Cải cách hành chính")
 * from the smallest unit up, "Phòng Cải cách hành chính, Sở Nội vụ Hà Nội".
 */
export function officeInSentence(office: string): string {
  return office
    .split(/\s+-\s+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .reverse()
    .join(', ');
}
