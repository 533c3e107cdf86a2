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

const cell = (text: string, head = false) =>
  new TableCell({
    children: [para(text, { bold: head, center: head || /^[\d.,–-]+$/.test(text) })],
    shading: head ? { type: ShadingType.CLEAR, fill: 'DCE6F1', color: 'auto' } : undefined,
  });

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
      para('Phụ lục: Đánh giá', { bold: true, size: 28, center: true }),
      para(table.title, { bold: true, size: 26, center: true }),
      para(`(${table.subtitle})`, { italics: true, size: 26, center: true }),
      new Paragraph({ children: [] }),
      new Table({
        width: { size: TEXT_WIDTH, type: WidthType.DXA },
        columnWidths: table.widths.map((w) => Math.floor((w * TEXT_WIDTH) / total)),
        rows: [
          new TableRow({ tableHeader: true, children: table.headers.map((h) => cell(h, true)) }),
          ...table.rows.map((r) => new TableRow({ children: r.map((v) => cell(String(v))) })),
        ],
      }),
      ...(table.scoringNote
        ? [new Paragraph({ children: [] }), para(table.scoringNote, { italics: true, size: 22 })]
        : []),
    ],
  };
}
