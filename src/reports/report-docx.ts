import {
  AlignmentType,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  UnderlineType,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import { AGENCY_KIND_LABEL, WORD } from '../domain/labels.js';
import { assessmentSection } from './assessment-docx.js';
import type { AssessmentTable } from './assessment-table.js';
import {
  type ConsolidatedReport,
  EXPECTED_FIRST_COLUMN,
  EXPECTED_PART_COUNT,
  reportColumns,
  rowCells,
} from './consolidated-report.js';

const FONT = 'Times New Roman';
// A4 in twips; the appendix is landscape with 2 cm margins (1 cm = 567 twips).
const A4 = { width: 11906, height: 16838 };
const MARGIN = 1134;
const TEXT_WIDTH = A4.height - 2 * MARGIN;
const HEADING = 26; // 13 pt, as official documents are set
const TABLE_TEXT = 18; // 9 pt: up to sixteen columns across a landscape page

// Column widths in twips on the page. STT, a date and Đúng hạn/Muộn fit on one line, a reference on two, so their
// columns keep their width; the text columns share what is left.
const FIXED_WIDTH: Record<string, number> = {
  STT: 520,
  [WORD.reference]: 1200,
  [WORD.receivedOn]: 1250,
  [WORD.timeliness]: 1000,
};
const TEXT_SHARE: Record<string, number> = {
  'Cơ quan, đơn vị': 11,
  'Tên sáng kiến, giải pháp, ý tưởng mới': 13,
  'Mô tả tóm tắt nội dung': 14,
  'Sự cần thiết áp dụng': 12,
  'Sản phẩm': 11,
  'Đối tượng thụ hưởng': 10,
  'Lợi ích thu được': 10,
  'Thời gian thực hiện': 11,
  'Đơn vị chủ trì': 10,
  'Ghi chú': 7,
  'Kết quả thực hiện': 9,
  'Hiệu quả đạt được': 13,
};

/** The initiatives table's column widths: the fixed ones as set, the text columns sharing the rest. */
function initiativeWidths(headers: readonly string[]): number[] {
  const fixed = headers.reduce((n, h) => n + (FIXED_WIDTH[h] ?? 0), 0);
  const shares = headers.reduce((n, h) => n + (FIXED_WIDTH[h] ? 0 : (TEXT_SHARE[h] ?? 10)), 0);
  return headers.map(
    (h) => FIXED_WIDTH[h] ?? Math.floor(((TEXT_SHARE[h] ?? 10) * (TEXT_WIDTH - fixed)) / shares),
  );
}

interface RunOptions {
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  size?: number;
}

const run = (text: string, opts: RunOptions = {}) =>
  new TextRun({
    text,
    font: FONT,
    size: opts.size ?? TABLE_TEXT,
    bold: opts.bold,
    italics: opts.italics,
    underline: opts.underline ? { type: UnderlineType.SINGLE } : undefined,
  });

const centered = (text: string, opts: RunOptions = {}) =>
  new Paragraph({ alignment: AlignmentType.CENTER, children: [run(text, { size: HEADING, ...opts })] });

const lines = (text: string, opts: RunOptions & { center?: boolean } = {}) =>
  (text || '').split('\n').map(
    (l) =>
      new Paragraph({
        alignment: opts.center ? AlignmentType.CENTER : undefined,
        children: [run(l, opts)],
      }),
  );

const cell = (
  text: string,
  opts: RunOptions & { shade?: boolean; span?: number; rows?: number; center?: boolean } = {},
) =>
  new TableCell({
    children: lines(text, opts),
    columnSpan: opts.span,
    rowSpan: opts.rows,
    verticalAlign: opts.shade ? VerticalAlignTable.CENTER : undefined,
    shading: opts.shade ? { type: ShadingType.CLEAR, fill: 'DCE6F1', color: 'auto' } : undefined,
  });

/** Column widths in twips, proportional to the given widths, filling the page's text width. */
function twips(widths: readonly number[]): number[] {
  const total = widths.reduce((a, b) => a + b, 0);
  return widths.map((w) => Math.floor((w * TEXT_WIDTH) / total));
}

/**
 * The official heading: the issuing body on the left ("SỞ NỘI VỤ HÀ NỘI" above "PHÒNG CẢI CÁCH HÀNH CHÍNH" when
 * the office is named "Sở Nội vụ Hà Nội - Phòng Cải cách hành chính"), Quốc hiệu and tiêu ngữ on the right with the
 * date line under them; no borders.
 */
function officialHeading(report: ConsolidatedReport): Table {
  const parts = (report.issuer ?? '')
    .split(/\s+[-–]\s+/)
    .map((p) => p.trim().toLocaleUpperCase('vi'))
    .filter(Boolean);
  const body = parts.pop();
  const left = [
    ...parts.map((p) => centered(p)),
    ...(body ? [centered(body, { bold: true, underline: true })] : []),
  ];
  const right = [
    centered('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true }),
    centered('Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true, size: 28 }),
    new Paragraph({ children: [] }),
    ...(report.dateLine ? [centered(report.dateLine, { italics: true, size: 28 })] : []),
  ];
  const [l, r] = twips([2, 3]) as [number, number];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [l, r],
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [
          new TableCell({ children: left.length ? left : [new Paragraph({ children: [] })] }),
          new TableCell({ children: right }),
        ],
      }),
    ],
  });
}

/** The initiatives table: the form's two header rows, its numbering row, then the rows grouped by kind. */
function initiativesTable(report: ConsolidatedReport): Table {
  const columns = reportColumns(report);
  const head = { bold: true, shade: true, center: true };
  const top: TableCell[] = [];
  const sub: TableCell[] = [];
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c];
    if (!column) continue;
    if (column.group) {
      let span = 1;
      while (columns[c + span]?.group === column.group) span++;
      top.push(cell(column.group, { ...head, span }));
      for (const s of columns.slice(c, c + span)) sub.push(cell(s.header, head));
      c += span - 1;
    } else {
      // A break allowed after a slash, so a header wraps between its words, not inside one.
      top.push(cell(column.header.replace(/\//g, '/\u200b'), { ...head, rows: 2 }));
    }
  }
  const rows: TableRow[] = [
    new TableRow({ tableHeader: true, children: top }),
    new TableRow({ tableHeader: true, children: sub }),
    new TableRow({
      tableHeader: true,
      children: columns.map((_, i) => cell(`(${i + 1})`, { italics: true, center: true })),
    }),
  ];
  let kind: string | null = null;
  for (const r of report.rows) {
    if (r.agencyKind !== kind) {
      kind = r.agencyKind;
      rows.push(
        new TableRow({
          children: [cell(AGENCY_KIND_LABEL[r.agencyKind], { bold: true, span: columns.length })],
        }),
      );
    }
    const cells = rowCells(r).map((v) => String(v));
    const first = EXPECTED_FIRST_COLUMN - 1;
    const children = cells.flatMap((text, i) => {
      // A form with one "Dự kiến kết quả" cell: its text spans the three sub-columns.
      if (!r.expectedSplit && i > first && i < first + EXPECTED_PART_COUNT) return [];
      if (!r.expectedSplit && i === first) return [cell(text, { span: EXPECTED_PART_COUNT })];
      return [cell(text, { center: i === 0 })];
    });
    // Rows may break across pages: a long description kept whole would leave most of a page empty.
    rows.push(new TableRow({ children }));
  }
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: initiativeWidths(columns.map((c) => c.header)),
    margins: { left: 60, right: 60 },
    rows,
  });
}

function simpleTable(headers: readonly string[], widths: readonly number[], body: readonly string[][]) {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: twips(widths),
    rows: [
      new TableRow({
        tableHeader: true,
        children: headers.map((h) => cell(h, { bold: true, shade: true, center: true })),
      }),
      ...body.map(
        (cells) => new TableRow({ children: cells.map((c) => cell(c, { center: /^\d+$/.test(c) })) }),
      ),
    ],
  });
}

/**
 * The report as a Word document in the shape of an official appendix: the issuing body, Quốc hiệu and tiêu ngữ,
 * the date line, the title "BẢNG TỔNG HỢP"; the initiatives in the registration form's columns; the standing per
 * agency; the agencies not registered yet. Landscape A4.
 */
export async function renderDocx(report: ConsolidatedReport, assessment?: AssessmentTable): Promise<Buffer> {
  const missing = report.notRegistered ?? [];
  const summary = simpleTable(
    ['STT', WORD.agency, WORD.agencyKind, WORD.quota, WORD.registered, WORD.reported, WORD.met],
    [6, 44, 26, 12, 12, 12, 12],
    report.summary.map((s, i) => [
      String(i + 1),
      s.agency,
      AGENCY_KIND_LABEL[s.kind],
      String(s.quota),
      String(s.registered),
      String(s.reported),
      s.quota === 0 ? WORD.exempt : s.met ? WORD.met : WORD.notMet,
    ]),
  );
  const section = (text: string) =>
    new Paragraph({
      spacing: { before: 240, after: 120 },
      keepNext: true,
      children: [run(text, { bold: true, size: HEADING })],
    });
  const doc = new Document({
    creator: 'reform-inbox',
    title: report.title,
    styles: { default: { document: { run: { font: FONT, size: HEADING } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
          },
        },
        children: [
          officialHeading(report),
          new Paragraph({ children: [] }),
          centered('BẢNG TỔNG HỢP', { bold: true, size: 28 }),
          centered(report.subtitle, { bold: true }),
          centered(`(${report.campaignName}; số liệu đến ngày ${report.generatedOn})`, { italics: true }),
          new Paragraph({ children: [] }),
          initiativesTable(report),
          section(`TÌNH HÌNH ĐĂNG KÝ THEO CƠ QUAN, ĐƠN VỊ NĂM ${report.year}`),
          summary,
          section(`CÁC CƠ QUAN, ĐƠN VỊ CHƯA ĐĂNG KÝ SÁNG KIẾN NĂM ${report.year}`),
          missing.length
            ? simpleTable(
                ['STT', WORD.agency, WORD.agencyKind, WORD.quota],
                [6, 60, 34, 14],
                missing.map((a, i) => [String(i + 1), a.agency, AGENCY_KIND_LABEL[a.kind], String(a.quota)]),
              )
            : new Paragraph({ children: [run('Tất cả cơ quan, đơn vị đã đăng ký.', { size: HEADING })] }),
        ],
      },
      ...(assessment ? [assessmentSection(assessment)] : []),
    ],
  });
  return Packer.toBuffer(doc);
}
