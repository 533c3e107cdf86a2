import {
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalMergeType,
  WidthType,
} from 'docx';

// Word forms built for tests, filled in the ways agencies do: text, fonts, tables with merged cells.

type Run = string | { text: string; font?: string };
export type CellSpec = string | { lines: Run[][]; span?: number; vMerge?: 'restart' | 'continue' };
export type BlockSpec = { p: Run[] } | { table: CellSpec[][] };

const runOf = (r: Run) =>
  typeof r === 'string' ? new TextRun(r) : new TextRun({ text: r.text, font: r.font });
const paragraph = (runs: Run[]) => new Paragraph({ children: runs.map(runOf) });

function cell(spec: CellSpec): TableCell {
  if (typeof spec === 'string')
    return new TableCell({ children: spec.split('\n').map((l) => paragraph([l])) });
  return new TableCell({
    children: spec.lines.map(paragraph),
    columnSpan: spec.span,
    verticalMerge:
      spec.vMerge === 'restart'
        ? VerticalMergeType.RESTART
        : spec.vMerge === 'continue'
          ? VerticalMergeType.CONTINUE
          : undefined,
  });
}

/** A .docx of the given paragraphs and tables, in order. */
export async function buildDocx(blocks: BlockSpec[]): Promise<Buffer> {
  const children = blocks.map((b) =>
    'p' in b
      ? paragraph(b.p)
      : new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: b.table.map((r) => new TableRow({ children: r.map(cell) })),
        }),
  );
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

/** The header block and title every form starts with. */
export const header = (agencyLines: string[], title: string): BlockSpec[] => [
  {
    table: [
      [
        { lines: agencyLines.map((l) => [l]) },
        { lines: [['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'], ['Độc lập - Tự do - Hạnh phúc']] },
      ],
    ],
  },
  { p: ['Hà Nội, ngày 20 tháng 3 năm 2022'] },
  { p: [title] },
];
