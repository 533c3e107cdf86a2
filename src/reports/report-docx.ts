import {
  AlignmentType,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { AGENCY_KIND_LABEL } from '../domain/labels.js';
import { type ConsolidatedReport, onTimeLabel } from './consolidated-report.js';

const FONT = 'Times New Roman';
const run = (text: string, opts: { bold?: boolean; italics?: boolean; size?: number } = {}) =>
  new TextRun({ text, font: FONT, size: opts.size ?? 22, bold: opts.bold, italics: opts.italics });
const lines = (text: string, opts: { bold?: boolean } = {}) =>
  (text || '').split('\n').map((l) => new Paragraph({ children: [run(l, opts)] }));
const cell = (text: string, opts: { bold?: boolean; shade?: boolean; span?: number } = {}) =>
  new TableCell({
    children: lines(text, opts),
    columnSpan: opts.span,
    shading: opts.shade ? { type: ShadingType.CLEAR, fill: 'DCE6F1', color: 'auto' } : undefined,
  });

/** The report as a Word document laid out like the office's own consolidated lists. */
export async function renderDocx(report: ConsolidatedReport): Promise<Buffer> {
  const headers = [
    'STT',
    'Cơ quan, đơn vị',
    'Tên sáng kiến, giải pháp, ý tưởng mới',
    'Mô tả tóm tắt',
    'Sự cần thiết',
    'Dự kiến kết quả',
    'Thời gian',
    'Đơn vị chủ trì',
    'Ghi chú',
    'Đúng hạn/Muộn',
  ];
  if (report.withResults) headers.push('Kết quả thực hiện', 'Hiệu quả đạt được');
  const rows: TableRow[] = [
    new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, { bold: true, shade: true })) }),
  ];
  let kind: string | null = null;
  for (const r of report.rows) {
    if (r.agencyKind !== kind) {
      kind = r.agencyKind;
      rows.push(
        new TableRow({
          children: [cell(AGENCY_KIND_LABEL[r.agencyKind], { bold: true, span: headers.length })],
        }),
      );
    }
    rows.push(
      new TableRow({
        children: [
          cell(String(r.stt)),
          cell(r.agency),
          cell(r.title),
          cell(r.summary),
          cell(r.necessity),
          cell(r.expectedResults),
          cell(r.timeline),
          cell(r.leadUnit),
          cell(r.notes),
          cell(onTimeLabel(r)),
          ...(r.result ? [cell(r.result.status), cell(r.result.outcome)] : []),
        ],
      }),
    );
  }
  const summaryRows = [
    new TableRow({
      tableHeader: true,
      children: ['STT', 'Cơ quan, đơn vị', 'Số tối thiểu', 'Đã đăng ký', 'Đạt'].map((h) =>
        cell(h, { bold: true, shade: true }),
      ),
    }),
    ...report.summary.map(
      (s, i) =>
        new TableRow({
          children: [
            cell(String(i + 1)),
            cell(s.agency),
            cell(String(s.quota)),
            cell(String(s.registered)),
            cell(s.met ? 'Đạt' : 'Chưa đạt'),
          ],
        }),
    ),
  ];
  const doc = new Document({
    creator: 'reform-inbox',
    title: report.title,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [run(report.title, { bold: true, size: 26 })],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [run(`(${report.campaignName}; lập ngày ${report.generatedOn})`, { italics: true })],
          }),
          new Paragraph({ children: [] }),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows }),
          new Paragraph({ children: [] }),
          new Paragraph({ children: [run('TÌNH HÌNH ĐĂNG KÝ THEO CƠ QUAN, ĐƠN VỊ', { bold: true })] }),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: summaryRows }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
