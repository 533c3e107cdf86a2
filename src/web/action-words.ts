// What the console says after an action: what was done (`?ok=KEY` on the next page), or why it was refused.

/** What a finished action tells the person on the next page (`?ok=KEY`): fixed texts, nothing from the URL. */
export const DONE: Record<string, string> = {
  confirmed: 'Đã xác nhận hồ sơ cho cơ quan, đơn vị; hồ sơ được tính vào số lượng đăng ký kể từ nay.',
  confirmed_remembered:
    'Đã xác nhận hồ sơ và ghi nhớ địa chỉ thư của người gửi cho cơ quan, đơn vị: hồ sơ gửi sau từ địa chỉ này được tính ngay, không chờ Phòng CCHC xác nhận.',
  linked: 'Đã gắn kết quả với sáng kiến đã đăng ký.',
  dismissed: 'Đã đưa mục ra khỏi danh sách cần xử lý (kèm ghi chú lý do).',
  restored: 'Đã đưa mục trở lại danh sách cần xử lý.',
  bounce_cleared: 'Đã ghi nhận địa chỉ dùng được trở lại: thư nhắc hạn sẽ được gửi đến địa chỉ này.',
  corrected: 'Đã lưu nội dung đã sửa; nội dung hệ thống đọc từ tệp vẫn được giữ để đối chiếu.',
  parser_reading_restored:
    'Đã trả lại nội dung hệ thống đọc: hồ sơ được tính như khi chưa sửa; các lần sửa vẫn được lưu trong lịch sử.',
  correction_undone: 'Đã hủy lần sửa này: mục trở lại nội dung của lần sửa trước.',
  correction_undone_to_reading: 'Đã hủy lần sửa này: mục trở lại nội dung hệ thống đọc từ tệp.',
  withdrawn: 'Đã đưa sáng kiến ra khỏi số lượng đăng ký; sáng kiến vẫn được lưu và có thể khôi phục.',
  initiative_restored:
    'Đã khôi phục sáng kiến: sáng kiến được tính lại vào số lượng đăng ký của cơ quan, đơn vị.',
  unlinked: 'Đã bỏ gắn kết quả; kết quả được đối chiếu lại theo tên sáng kiến.',
  unconfirmed: 'Đã hủy xác nhận: hồ sơ được xét lại như khi mới nhận.',
  unconfirmed_forgotten:
    'Đã hủy xác nhận và bỏ địa chỉ thư đã ghi nhớ khỏi danh sách hộp thư của cơ quan, đơn vị: hồ sơ được xét lại như khi mới nhận.',
  counted_supplement:
    'Đã ghi nhận hồ sơ là bản bổ sung: các sáng kiến đã đăng ký trước đó của cơ quan, đơn vị vẫn được giữ nguyên.',
  counted_revision: 'Đã ghi nhận hồ sơ là bản thay thế hồ sơ đăng ký trước đó của cơ quan, đơn vị.',
  counted_as_mail: 'Đã bỏ quyết định của cán bộ: hồ sơ được tính theo nội dung thư.',
  forgery_marked: 'Đã đánh dấu thư là giả mạo: hồ sơ trong thư không được tính.',
  resend_requested:
    'Đã gửi thư đề nghị cơ quan, đơn vị gửi lại hồ sơ; thư và ghi chú được lưu trong lịch sử của hồ sơ.',
  replay_queued: 'Hệ thống đang đọc lại tệp; sau ít giây, tải lại trang để xem kết quả.',
  assessed:
    'Đã ghi nhận đánh giá của Phòng CCHC về hiệu quả sáng kiến; đánh giá được đưa vào biểu “Đánh giá” của báo cáo tổng hợp.',
  assessment_undone: 'Đã hủy đánh giá vừa ghi; đánh giá trước đó (nếu có) có hiệu lực trở lại.',
};

export const INVALID = 'Thông tin nhập chưa hợp lệ.';
export const REFUSED: Record<string, string> = {
  not_found: 'Không còn mục này (có thể người khác đã xử lý).',
  wrong_state: 'Mục này đã được xử lý hoặc không còn ở trạng thái chờ.',
  invalid_input: INVALID,
  conflict: 'Thay đổi trùng với một thay đổi khác vừa được lưu; hãy tải lại trang.',
};
