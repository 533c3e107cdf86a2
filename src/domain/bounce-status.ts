// What a bounce's status code (RFC 3463: class.subject.detail) means, in words a clerk understands: the digest,
// the CLI and the console show this, never the code itself.

const BY_CODE: Record<string, string> = {
  '5.1.1': 'địa chỉ thư không tồn tại',
  '5.1.10': 'địa chỉ thư không tồn tại',
  '5.1.0': 'địa chỉ thư không đúng',
  '5.1.2': 'tên miền của địa chỉ không tồn tại',
  '5.1.6': 'hộp thư đã chuyển đi nơi khác',
  '5.2.1': 'hộp thư đã bị khóa',
  '5.2.2': 'hộp thư đã đầy',
  '5.2.3': 'thư vượt dung lượng hộp thư nhận',
  '5.3.4': 'thư vượt dung lượng máy chủ nhận cho phép',
};

const BY_SUBJECT: Record<string, string> = {
  '1': 'địa chỉ thư không đúng',
  '2': 'hộp thư không nhận thư',
  '3': 'máy chủ thư bên nhận không nhận thư',
  '4': 'không tìm được máy chủ thư bên nhận',
  '5': 'máy chủ thư bên nhận không nhận thư',
  '6': 'máy chủ thư bên nhận không đọc được thư',
  '7': 'máy chủ thư bên nhận từ chối thư',
};

/** "địa chỉ thư không tồn tại" for 5.1.1, and so on; a general phrase for an unknown or absent code. */
export function bounceReason(status: string | null | undefined): string {
  if (!status) return 'không gửi được thư đến địa chỉ này';
  return BY_CODE[status] ?? BY_SUBJECT[status.split('.')[1] ?? ''] ?? 'không gửi được thư đến địa chỉ này';
}
