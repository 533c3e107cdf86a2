// Writes the blank forms attached to reminders: templates/forms/bieu-dang-ky-sang-kien.docx and
// templates/forms/bao-cao-ket-qua-sang-kien.docx. An office may replace them with its own official files.
//   npx tsx scripts/make-blank-forms.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  VerticalMergeType,
  WidthType,
} from 'docx';

const FONT = 'Times New Roman';
const text = (t: string, opts: { bold?: boolean; italics?: boolean; size?: number } = {}) =>
  new TextRun({ text: t, font: FONT, size: opts.size ?? 24, bold: opts.bold, italics: opts.italics });
const para = (runs: TextRun[], center = false) =>
  new Paragraph({ children: runs, alignment: center ? AlignmentType.CENTER : AlignmentType.LEFT });
const noBorders = {
  top: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  bottom: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  left: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  right: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  insideHorizontal: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  insideVertical: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
};

function headerBlock(): (Paragraph | Table)[] {
  return [
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: noBorders,
      rows: [
        new TableRow({
          children: [
            new TableCell({
              children: [
                para([text('TÊN CƠ QUAN CHỦ QUẢN', { bold: true })], true),
                para([text('TÊN CƠ QUAN, ĐƠN VỊ', { bold: true })], true),
              ],
            }),
            new TableCell({
              children: [
                para([text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true })], true),
                para([text('Độc lập - Tự do - Hạnh phúc', { bold: true })], true),
                para([text('......, ngày ... tháng ... năm ......', { italics: true })], true),
              ],
            }),
          ],
        }),
      ],
    }),
    para([]),
  ];
}

const cell = (t: string, opts: { bold?: boolean; span?: number; vMerge?: 'restart' | 'continue' } = {}) =>
  new TableCell({
    children: [para([text(t, { bold: opts.bold, size: 22 })], true)],
    columnSpan: opts.span,
    verticalAlign: VerticalAlign.CENTER,
    verticalMerge:
      opts.vMerge === 'restart'
        ? VerticalMergeType.RESTART
        : opts.vMerge === 'continue'
          ? VerticalMergeType.CONTINUE
          : undefined,
  });
const emptyRow = (n: number, first: string) =>
  new TableRow({ children: Array.from({ length: n }, (_, i) => cell(i === 0 ? first : '')) });

function registration(): Document {
  const rows = [
    new TableRow({
      tableHeader: true,
      children: [
        cell('STT', { bold: true, vMerge: 'restart' }),
        cell('Tên sáng kiến, giải pháp, ý tưởng mới', { bold: true, vMerge: 'restart' }),
        cell('Mô tả tóm tắt nội dung sáng kiến, giải pháp, ý tưởng mới', { bold: true, vMerge: 'restart' }),
        cell('Sự cần thiết áp dụng sáng kiến, giải pháp, ý tưởng mới', { bold: true, vMerge: 'restart' }),
        cell('Dự kiến kết quả đạt được', { bold: true, span: 3 }),
        cell('Thời gian thực hiện', { bold: true, vMerge: 'restart' }),
        cell('Đơn vị chủ trì', { bold: true, vMerge: 'restart' }),
        cell('Ghi chú', { bold: true, vMerge: 'restart' }),
      ],
    }),
    new TableRow({
      tableHeader: true,
      children: [
        cell('', { vMerge: 'continue' }),
        cell('', { vMerge: 'continue' }),
        cell('', { vMerge: 'continue' }),
        cell('', { vMerge: 'continue' }),
        cell('Sản phẩm', { bold: true }),
        cell('Đối tượng thụ hưởng', { bold: true }),
        cell('Lợi ích thu được', { bold: true }),
        cell('', { vMerge: 'continue' }),
        cell('', { vMerge: 'continue' }),
        cell('', { vMerge: 'continue' }),
      ],
    }),
    new TableRow({ children: Array.from({ length: 10 }, (_, i) => cell(`(${i + 1})`)) }),
    emptyRow(10, '1'),
    emptyRow(10, '2'),
  ];
  return new Document({
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          ...headerBlock(),
          para(
            [
              text('BIỂU ĐĂNG KÝ SÁNG KIẾN, GIẢI PHÁP, Ý TƯỞNG MỚI VỀ CẢI CÁCH HÀNH CHÍNH NĂM ......', {
                bold: true,
                size: 26,
              }),
            ],
            true,
          ),
          para(
            [
              text(
                '(Mỗi sáng kiến một dòng; thời gian thực hiện ghi rõ tháng, năm bắt đầu và kết thúc, ví dụ: Tháng 8/2021 - tháng 11/2021)',
                { italics: true, size: 22 },
              ),
            ],
            true,
          ),
          para([]),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows }),
        ],
      },
    ],
  });
}

function results(): Document {
  const header = [
    'STT',
    'Tên sáng kiến, giải pháp, ý tưởng mới',
    'Kết quả thực hiện',
    'Hiệu quả đạt được',
    'Ghi chú',
  ];
  return new Document({
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          ...headerBlock(),
          para([text('BÁO CÁO', { bold: true, size: 26 })], true),
          para(
            [
              text('Kết quả thực hiện sáng kiến, giải pháp, ý tưởng mới về cải cách hành chính năm ......', {
                bold: true,
                size: 26,
              }),
            ],
            true,
          ),
          para(
            [
              text('(Kết quả thực hiện ghi một trong: Đã hoàn thành; Đang triển khai; Chưa thực hiện)', {
                italics: true,
                size: 22,
              }),
            ],
            true,
          ),
          para([]),
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: [
              new TableRow({ tableHeader: true, children: header.map((h) => cell(h, { bold: true })) }),
              emptyRow(5, '1'),
              emptyRow(5, '2'),
            ],
          }),
        ],
      },
    ],
  });
}

const dir = join(import.meta.dirname, '..', 'templates', 'forms');
writeFileSync(join(dir, 'bieu-dang-ky-sang-kien.docx'), await Packer.toBuffer(registration()));
writeFileSync(join(dir, 'bao-cao-ket-qua-sang-kien.docx'), await Packer.toBuffer(results()));
console.log(`blank forms written to ${dir}`);
