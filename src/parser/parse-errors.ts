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
};
