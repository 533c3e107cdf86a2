// What the console says after an action: what was done (`?ok=KEY` on the next page), or why it was refused.

/** What a finished action tells the person on the next page (`?ok=KEY`): fixed texts, nothing from the URL. */
export const DONE: Record<string, string> = {
  confirmed: 'Đã xác nhận hồ sơ cho đơn vị; hồ sơ được tính từ bây giờ.',
  confirmed_remembered:
    'Đã xác nhận hồ sơ và ghi nhớ địa chỉ gửi cho đơn vị: thư sau từ địa chỉ này được tính ngay.',
  linked: 'Đã gắn kết quả với sáng kiến đã đăng ký.',
  dismissed: 'Đã gỡ việc khỏi danh sách (có ghi chú lý do).',
  restored: 'Đã đưa việc trở lại danh sách cần xử lý.',
  bounce_cleared: 'Đã ghi nhận địa chỉ dùng được trở lại: nhắc việc sẽ gửi đến địa chỉ này.',
  corrected: 'Đã lưu nội dung sửa; giá trị hệ thống đọc được vẫn được lưu lại.',
  parser_reading_restored:
    'Đã trả lại nội dung hệ thống đọc: hồ sơ được tính như khi chưa sửa; các lần sửa vẫn được lưu trong lịch sử.',
  correction_undone: 'Đã hoàn tác nội dung sửa: mục trở lại nội dung sửa trước đó.',
  correction_undone_to_reading: 'Đã hoàn tác nội dung sửa: mục trở lại nội dung hệ thống đọc.',
  withdrawn: 'Đã rút sáng kiến: sáng kiến không còn được tính nhưng vẫn được lưu.',
  initiative_restored: 'Đã khôi phục sáng kiến: sáng kiến được tính lại theo quy tắc.',
  unlinked: 'Đã bỏ gắn kết quả; kết quả được đối chiếu lại theo tên sáng kiến.',
  unconfirmed: 'Đã hủy xác nhận: hồ sơ được xét lại như khi mới nhận.',
  unconfirmed_forgotten:
    'Đã hủy xác nhận và bỏ địa chỉ gửi đã ghi nhớ khỏi danh bạ đơn vị: hồ sơ được xét lại như khi mới nhận.',
  counted_supplement:
    'Đã ghi nhận hồ sơ là bản bổ sung: các sáng kiến đăng ký trước của đơn vị được tính lại.',
  counted_revision: 'Đã ghi nhận hồ sơ là bản thay thế đăng ký trước của đơn vị.',
  counted_as_mail: 'Đã bỏ quyết định của cán bộ: hồ sơ được tính theo nội dung thư.',
  forgery_marked: 'Đã đánh dấu thư là giả mạo: hồ sơ trong thư không được tính.',
  resend_requested:
    'Đã gửi thư đề nghị đơn vị gửi lại hồ sơ; thư và ghi chú được lưu trong lịch sử của hồ sơ.',
  replay_queued: 'Đã xếp tệp vào hàng đọc lại; kết quả hiện trên trang này sau ít giây.',
  assessed:
    'Đã ghi đánh giá của Phòng về kết quả sáng kiến (đưa vào bảng đánh giá chỉ số cải cách hành chính).',
  assessment_undone: 'Đã hủy đánh giá; đánh giá trước đó (nếu có) được dùng lại.',
};

export const INVALID = 'Thông tin nhập chưa hợp lệ.';
export const REFUSED: Record<string, string> = {
  not_found: 'Không còn mục này (có thể người khác đã xử lý).',
  wrong_state: 'Mục này đã được xử lý hoặc không còn ở trạng thái chờ.',
  invalid_input: INVALID,
  conflict: 'Thay đổi trùng với một thay đổi khác vừa được lưu; hãy tải lại trang.',
};
