// The reading-order content of a document, whatever format it came in: paragraphs and tables of cells.
// Every reader (.docx, .doc, PDF) produces this; layout detection works on it alone.

export interface Paragraph {
  type: 'paragraph';
  /** Lines of the paragraph (a soft line break starts a new one), NFC, spaces collapsed. */
  lines: string[];
  /** Text decoded from a legacy encoding (TCVN3, VNI) judged by its characters alone, its font unknown. */
  recovered?: boolean;
}

export interface Cell {
  /** Non-empty lines of the cell's paragraphs, in order. */
  lines: string[];
  /** True for the copies a horizontally or vertically merged cell leaves in the grid. */
  merged: boolean;
  /** Which original cell this grid position belongs to (same id for every copy of a merged cell). */
  id: number;
  /** Some of its text was decoded from a legacy encoding judged by its characters alone. */
  recovered?: boolean;
  /** The cell's own paragraphs and tables, kept when it holds a table (its `lines` then flatten that table). */
  inner?: Block[];
  /** Its lines flatten a table that could not be read as labels and values: a value taken from it is doubtful. */
  nested?: boolean;
}

export interface Table {
  type: 'table';
  /** A full grid: merged cells are repeated into every position they cover, flagged `merged`. */
  rows: Cell[][];
}

export type Block = Paragraph | Table;

/** One line of text as a person reads it: NFC, inner whitespace collapsed, trimmed. */
export function cleanLine(s: string): string {
  return (
    s
      .normalize('NFC')
      // Word's soft hyphens and zero-width marks are not text; its non-breaking hyphen is a hyphen.
      .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/gu, '')
      .replace(/[\u2010\u2011]/gu, '-')
      .replace(/[\u00A0\u2007\u202F\t\s]+/gu, ' ')
      .trim()
  );
}

export const cellText = (c: Cell | undefined): string => (c ? c.lines.join('\n') : '');
