import {
  AlignmentType,
  Document,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

/** What the summary of an evidence pack says: each fact with what it rests on, and every piece in the pack. */
export interface EvidenceSummary {
  agency: string;
  campaign: string;
  /** "Hà Nội, ngày 10 tháng 12 năm 2021"-free: the day the pack was made, as dates are written. */
  generatedOn: string;
  issuer?: string;
  facts: { fact: string; finding: string; evidence: string[] }[];
  initiatives: { title: string; result: string; assessment: string }[];
  pieces: { entry: string; description: string }[];
}

const FONT = 'Times New Roman';
// A4 portrait, 2 cm margins, in twips.
const TEXT_WIDTH = 11906 - 2 * 1134;

const para = (text: string, o: { bold?: boolean; italics?: boolean; size?: number; center?: boolean } = {}) =>
  new Paragraph({
    alignment: o.center ? AlignmentType.CENTER : undefined,
    children: [new TextRun({ text, font: FONT, size: o.size ?? 22, bold: o.bold, italics: o.italics })],
  });

const cell = (lines: readonly string[], head = false) =>
  new TableCell({
    children: (lines.length ? lines : ['']).map((l) => para(l, { bold: head, size: 20, center: head })),
    shading: head ? { type: ShadingType.CLEAR, fill: 'DCE6F1', color: 'auto' } : undefined,
  });

function table(
  headers: readonly string[],
  shares: readonly number[],
  rows: readonly (readonly string[][])[],
) {
  const total = shares.reduce((a, b) => a + b, 0);
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: shares.map((s) => Math.floor((s * TEXT_WIDTH) / total)),
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell([h], true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
    ],
  });
}

/**
 * The summary of an agency's evidence pack as a Word document: for each fact of the assessment, what was found
 * and the files of the pack it rests on; the initiatives with their results and staff's assessment; every piece
 * of the pack, with what it is.
 */
export function renderEvidenceSummary(s: EvidenceSummary): Promise<Buffer> {
  const heading = (text: string) =>
    new Paragraph({
      spacing: { before: 240, after: 120 },
      keepNext: true,
      children: [new TextRun({ text, font: FONT, size: 24, bold: true })],
    });
  const doc = new Document({
    creator: 'reform-inbox',
    title: `Tài liệu kiểm chứng - ${s.agency}`,
    sections: [
      {
        properties: { page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
        children: [
          ...(s.issuer ? [para(s.issuer.toLocaleUpperCase('vi'), { bold: true, center: true })] : []),
          para('TÀI LIỆU KIỂM CHỨNG', { bold: true, size: 28, center: true }),
          para(s.agency, { bold: true, size: 26, center: true }),
          para(`(${s.campaign}; số liệu đến ngày ${s.generatedOn})`, { italics: true, center: true }),
          heading('I. Kết quả và tài liệu kiểm chứng'),
          table(
            ['STT', 'Nội dung', 'Kết quả', 'Tài liệu kiểm chứng (tệp trong gói)'],
            [5, 25, 30, 40],
            s.facts.map((f, i) => [
              [String(i + 1)],
              [f.fact],
              [f.finding],
              f.evidence.length ? f.evidence : ['—'],
            ]),
          ),
          heading('II. Sáng kiến, kết quả thực hiện và đánh giá'),
          s.initiatives.length
            ? table(
                ['STT', 'Tên sáng kiến', 'Kết quả thực hiện', 'Đánh giá của Phòng CCHC'],
                [5, 45, 20, 30],
                s.initiatives.map((x, i) => [[String(i + 1)], [x.title], [x.result], [x.assessment]]),
              )
            : para('Chưa có sáng kiến được ghi nhận.'),
          heading('III. Danh mục tài liệu trong gói'),
          table(
            ['STT', 'Tệp', 'Mô tả'],
            [5, 45, 50],
            s.pieces.map((p, i) => [[String(i + 1)], [p.entry], [p.description]]),
          ),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
