import {
  AlignmentType,
  type ISectionOptions,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalMergeType,
  WidthType,
} from 'docx';
import type { AssessmentTable } from './assessment-table.js';

const FONT = 'Times New Roman';
// A4 landscape with 2 cm margins, in twips, as the report's other pages.
const PAGE = { width: 11906, height: 16838, margin: 1134 };
const TEXT_WIDTH = PAGE.height - 2 * PAGE.margin;

const para = (text: string, o: { bold?: boolean; italics?: boolean; size?: number; center?: boolean } = {}) =>
  new Paragraph({
    alignment: o.center ? AlignmentType.CENTER : undefined,
    children: [new TextRun({ text, font: FONT, size: o.size ?? 16, bold: o.bold, italics: o.italics })],
  });

const cell = (text: string, head = false, o: { span?: number; merge?: 'restart' | 'continue' } = {}) =>
  new TableCell({
    children: [para(text, { bold: head, center: head || /^[\d.,–-]+$/.test(text) })],
    shading: head ? { type: ShadingType.CLEAR, fill: 'DCE6F1', color: 'auto' } : undefined,
    columnSpan: o.span,
    verticalMerge:
      o.merge === 'restart'
        ? VerticalMergeType.RESTART
        : o.merge === 'continue'
          ? VerticalMergeType.CONTINUE
          : undefined,
  });

/**
 * The two header rows: a group's label over its columns, and every other column's header over both rows (its
 * cell in the second row continues it).
 */
function headerRows(table: AssessmentTable): TableRow[] {
  const top: TableCell[] = [];
  const bottom: TableCell[] = [];
  table.headers.forEach((h, i) => {
    const group = table.groups.find((g) => i >= g.from && i < g.from + g.span);
    if (!group) {
      top.push(cell(h, true, { merge: 'restart' }));
      bottom.push(cell('', true, { merge: 'continue' }));
      return;
    }
    if (i === group.from) top.push(cell(group.label, true, { span: group.span }));
    bottom.push(cell(h, true));
  });
  return [
    new TableRow({ tableHeader: true, children: top }),
    new TableRow({ tableHeader: true, children: bottom }),
  ];
}

/** The appendix "Đánh giá" of the Word report: one row per agency of the registry, on a landscape page. */
export function assessmentSection(table: AssessmentTable): ISectionOptions {
  const total = table.widths.reduce((a, b) => a + b, 0);
  return {
    properties: {
      page: {
        size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.LANDSCAPE },
        margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
      },
    },
    children: [
      para('Phụ lục', { bold: true, size: 28, center: true }),
      para(table.title, { bold: true, size: 26, center: true }),
      para(`(Kèm theo Bảng tổng hợp; số liệu đến ngày ${table.asOf})`, {
        italics: true,
        size: 26,
        center: true,
      }),
      new Paragraph({ children: [] }),
      new Table({
        width: { size: TEXT_WIDTH, type: WidthType.DXA },
        columnWidths: table.widths.map((w) => Math.floor((w * TEXT_WIDTH) / total)),
        rows: [
          ...headerRows(table),
          ...table.rows.map((r) => new TableRow({ children: r.map((v) => cell(String(v))) })),
        ],
      }),
      ...(table.scoringNote
        ? [new Paragraph({ children: [] }), para(table.scoringNote, { italics: true, size: 22 })]
        : []),
    ],
  };
}
