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

// What the sender is told, in Vietnamese, for each kind of refusal: each says on its own that the file was not read and
// why, then the step to follow (the mail shows it as the file's whole line).
export const REJECTION_ADVICE: Record<RejectionCode, string> = {
  corrupt_file:
    'Tệp bị hỏng hoặc không đầy đủ nên không mở được. Đề nghị mở lại tệp trên máy của Quý cơ quan để kiểm tra, rồi đính kèm lại tệp Word (.docx) vào thư mới.',
  unsupported_type:
    'Loại tệp này không đọc được; hệ thống chỉ đọc tệp Word (.docx, .doc), OpenDocument (.odt), Excel (.xlsx) và PDF. Đề nghị mở tệp, chọn "Lưu thành" (Save As) kiểu "Word Document (.docx)" và gửi lại tệp .docx đó.',
  too_large:
    'Tệp vượt quá dung lượng cho phép nên không được đọc. Đề nghị xóa các ảnh chèn trong tệp (hoặc gửi ảnh, bản quét bằng thư riêng) và gửi lại tệp Word chỉ gồm nội dung theo mẫu.',
  decompression_limit:
    'Tệp khi mở ra có dung lượng quá lớn (thường do chèn nhiều ảnh) nên không được đọc. Đề nghị xóa các ảnh chèn trong tệp, chọn "Lưu thành" (Save As) kiểu "Word Document (.docx)" và gửi lại.',
  macro_enabled:
    'Tệp Word có đuôi .docm (loại tệp có thể chứa mã lệnh) nên không được mở, để bảo đảm an toàn. Đề nghị mở tệp bằng Word, chọn "Lưu thành" (Save As) kiểu "Word Document (.docx)" và gửi lại tệp .docx đó.',
  encrypted:
    'Tệp được đặt mật khẩu nên không đọc được. Đề nghị mở tệp bằng Word, chọn Tệp (File) > Thông tin (Info) > Bảo vệ tài liệu (Protect Document) > Mã hóa bằng mật khẩu (Encrypt with Password), xóa mật khẩu, bấm OK, lưu tệp và gửi lại.',
  timeout:
    'Hệ thống không đọc xong tệp trong thời gian cho phép. Đề nghị sao chép nội dung Biểu vào mẫu Biểu đăng ký gửi kèm thư này (không kèm ảnh, hình vẽ), lưu thành tệp .docx và gửi lại.',
  too_many_pages:
    'Tệp PDF có quá nhiều trang so với một Biểu nên không được đọc. Đề nghị gửi Biểu bằng tệp Word (.docx); nếu chỉ có bản PDF, đề nghị gửi riêng các trang của Biểu.',
  too_many_initiatives:
    'Số sáng kiến trong Biểu vượt quá giới hạn cho phép nên Biểu chưa được ghi nhận. Đề nghị kiểm tra lại Biểu (mỗi sáng kiến một dòng hoặc một mục), hoặc chia thành nhiều Biểu và gửi lại.',
  rtf_unreadable:
    'Tệp ở định dạng RTF (dù có thể mang tên .doc) bị hỏng hoặc không đầy đủ nên không mở được. Đề nghị mở tệp bằng Word, chọn "Lưu thành" (Save As) kiểu "Word Document (.docx)" và gửi lại tệp .docx đó.',
  legacy_spreadsheet:
    'Tệp Excel 97-2003 (.xls) chưa đọc được. Đề nghị mở tệp bằng Excel, chọn "Lưu thành" (Save As) kiểu "Excel Workbook (.xlsx)" và gửi lại, hoặc gửi Biểu đăng ký bằng tệp Word (.docx).',
  archive_format:
    'Tệp nén dạng .rar, .7z (hoặc dạng khác ngoài .zip) không mở được. Đề nghị giải nén và gửi lại tệp Word (.docx) đính kèm trực tiếp trong thư, hoặc nén lại thành tệp .zip.',
  archive_nested:
    'Tệp nén nằm trong một tệp nén khác nên không được mở. Đề nghị giải nén và gửi lại tệp Word (.docx) đính kèm trực tiếp trong thư.',
  archive_refused:
    'Tệp nén không mở được an toàn (tên tệp bên trong không hợp lệ, quá nhiều tệp hoặc tệp bên trong quá lớn). Đề nghị giải nén và gửi lại tệp Word (.docx) đính kèm trực tiếp trong thư.',
};
