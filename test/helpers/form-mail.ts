import { type BlockSpec, buildDocx, header } from './form-builder.js';

// Forms and mails built for a test: a registration or results report in the usual table layout, and a mail
// carrying any files, from any sender, arriving at any time.

export interface FormInitiative {
  title: string;
  summary?: string;
  timeline?: string;
}

const ROW = [
  'STT',
  'Tên sáng kiến',
  'Nội dung tóm tắt',
  'Sự cần thiết',
  'Dự kiến kết quả',
  'Thời gian thực hiện',
  'Đơn vị chủ trì',
  'Ghi chú',
];

/** A registration in the table layout; `dateLine` changes the bytes without changing what is read. */
export function registrationDocx(
  agencyLines: string[],
  initiatives: readonly FormInitiative[],
  opts: { title?: string; dateLine?: string; year?: number } = {},
): Promise<Buffer> {
  const year = opts.year ?? 2021;
  const blocks: BlockSpec[] = header(
    agencyLines,
    opts.title ?? `BIỂU ĐĂNG KÝ SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM ${year}`,
  );
  if (opts.dateLine) blocks.splice(1, 1, { p: [opts.dateLine] });
  blocks.push({
    table: [
      ROW,
      ...initiatives.map((i, n) => [
        String(n + 1),
        i.title,
        i.summary ?? `Nội dung của sáng kiến ${n + 1}`,
        'Giảm thời gian giải quyết thủ tục',
        'Người dân hài lòng hơn',
        i.timeline ?? `Tháng 8 - 12/${year}`,
        'Văn phòng',
        '',
      ]),
    ],
  });
  return buildDocx(blocks);
}

/** A results report in the table layout. */
export function resultsDocx(
  agencyLines: string[],
  results: readonly { title: string; status: string; outcome?: string }[],
  year = 2021,
): Promise<Buffer> {
  return buildDocx([
    ...header(agencyLines, `BÁO CÁO KẾT QUẢ THỰC HIỆN SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM ${year}`),
    {
      table: [
        ['STT', 'Tên sáng kiến', 'Kết quả thực hiện', 'Hiệu quả đạt được'],
        ...results.map((r, n) => [String(n + 1), r.title, r.status, r.outcome ?? 'Đã rút ngắn thời gian']),
      ],
    },
  ]);
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const encodedWord = (s: string) => `=?UTF-8?B?${b64(s)}?=`;
const CONTENT_TYPE: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  pdf: 'application/pdf',
};

/** A mail with files, as an agency would send it. */
export function mailWith(m: {
  from: string;
  subject: string;
  id: string;
  files: readonly { name: string; bytes: Buffer }[];
  date?: Date;
  headers?: readonly string[];
}): Buffer {
  const boundary = `b-${m.id.replace(/\W/g, '')}`;
  const lines = [
    ...(m.headers ?? []),
    `From: ${m.from}`,
    'To: phongcchc_sonv@hanoi.gov.vn',
    `Subject: ${encodedWord(m.subject)}`,
    `Date: ${(m.date ?? new Date('2021-07-26T02:00:00Z')).toUTCString()}`,
    `Message-ID: <${m.id}@test.example>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64('Kính gửi Phòng CCHC, xin gửi kèm hồ sơ.'),
  ];
  for (const f of m.files) {
    const ext = f.name.split('.').pop()?.toLowerCase() ?? '';
    lines.push(
      `--${boundary}`,
      `Content-Type: ${CONTENT_TYPE[ext] ?? 'application/octet-stream'}; name="${encodedWord(f.name)}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${encodedWord(f.name)}"`,
      '',
      ...(f.bytes.toString('base64').match(/.{1,76}/g) ?? []),
    );
  }
  lines.push(`--${boundary}--`, '');
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
