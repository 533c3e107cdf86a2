import { AppError } from '../errors.js';

export const REJECTION_CODES = [
  'corrupt_file',
  'unsupported_type',
  'too_large',
  'decompression_limit',
  'macro_enabled',
  'encrypted',
  'timeout',
  'too_many_pages',
  'too_many_initiatives',
  'rtf_unreadable',
  'legacy_spreadsheet',
  'archive_format',
  'archive_nested',
  'archive_refused',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** A file the parser refuses: terminal, the sender is told the message (Vietnamese) and what to do. */
export class FormRejected extends AppError<RejectionCode> {}

// What the sender is told, in Vietnamese, for each kind of refusal; `detail` says what was found.
export const REJECTION_ADVICE: Record<RejectionCode, string> = {
  corrupt_file: 'Tệp bị hỏng hoặc không đầy đủ, không mở được. Đề nghị gửi lại tệp Word (.docx).',
  unsupported_type: 'Định dạng tệp không được hỗ trợ. Đề nghị gửi lại bằng tệp Word (.docx hoặc .doc).',
  too_large:
    'Tệp vượt quá dung lượng cho phép. Đề nghị gửi tệp Word chỉ gồm nội dung theo mẫu, không kèm ảnh dung lượng lớn.',
  decompression_limit:
    'Tệp có nội dung giải nén quá lớn bất thường nên không được xử lý. Đề nghị lưu lại thành tệp Word (.docx) và gửi lại.',
  macro_enabled:
    'Tệp có chứa macro (.docm) nên không được mở để bảo đảm an toàn. Đề nghị lưu thành tệp Word thông thường (.docx) và gửi lại.',
  encrypted: 'Tệp được đặt mật khẩu nên không đọc được. Đề nghị gỡ mật khẩu và gửi lại.',
  timeout:
    'Tệp quá phức tạp, không đọc xong trong thời gian cho phép. Đề nghị gửi lại tệp Word đơn giản hơn.',
  too_many_pages:
    'Tệp PDF có quá nhiều trang so với một biểu mẫu. Đề nghị gửi riêng phần biểu mẫu, tốt nhất bằng tệp Word (.docx).',
  too_many_initiatives:
    'Số sáng kiến trong biểu vượt quá giới hạn cho phép. Đề nghị kiểm tra lại hoặc chia thành nhiều biểu và gửi lại.',
  rtf_unreadable:
    'Tệp ở định dạng RTF (dù có thể mang tên .doc) nhưng bị hỏng hoặc không đầy đủ. Đề nghị mở tệp bằng Word, chọn "Lưu thành" (Save As) kiểu "Word Document (.docx)" và gửi lại tệp .docx đó.',
  legacy_spreadsheet:
    'Tệp Excel 97-2003 (.xls) chưa đọc được. Đề nghị mở tệp bằng Excel, chọn "Lưu thành" (Save As) kiểu "Excel Workbook (.xlsx)" và gửi lại, hoặc gửi Biểu đăng ký bằng tệp Word (.docx).',
  archive_format:
    'Tệp nén dạng .rar, .7z (hoặc dạng khác ngoài .zip) không mở được. Đề nghị giải nén và gửi lại tệp Word (.docx) đính kèm trực tiếp trong thư, hoặc nén lại thành tệp .zip.',
  archive_nested:
    'Tệp nén nằm trong một tệp nén khác nên không được mở. Đề nghị giải nén và gửi lại tệp Word (.docx) đính kèm trực tiếp trong thư.',
  archive_refused:
    'Tệp nén không mở được an toàn (tên tệp bên trong không hợp lệ, quá nhiều tệp hoặc tệp bên trong quá lớn). Đề nghị giải nén và gửi lại tệp Word (.docx) đính kèm trực tiếp trong thư.',
};
