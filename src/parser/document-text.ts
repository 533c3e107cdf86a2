import { type Block, cellText } from './blocks.js';

// Every non-empty line of a document, each with the place it stands: the unit the reading is reconciled with
// and that `reform parse --explain` names. A merged cell's text is counted once, where the cell starts.

/** Where a line of text stands: a paragraph, or a cell of a table (0-based block, row, grid column, line). */
export interface SourceRef {
  block: number;
  line: number;
  row?: number;
  col?: number;
}

export interface Piece {
  text: string;
  ref: SourceRef;
  /** The cell's id within its table (tables only): one merged cell keeps one id over the grid. */
  cell?: number;
  /** From a cell whose lines flatten a table inside it. */
  nested?: boolean;
}

/** The document's lines in reading order, merged copies left out. */
export function documentPieces(blocks: readonly Block[]): Piece[] {
  const out: Piece[] = [];
  blocks.forEach((block, b) => {
    if (block.type === 'paragraph') {
      block.lines.forEach((text, line) => {
        if (text !== '') out.push({ text, ref: { block: b, line } });
      });
      return;
    }
    block.rows.forEach((row, r) => {
      const seen = new Set<number>();
      row.forEach((cell, col) => {
        if (cell.merged || seen.has(cell.id) || cellText(cell) === '') return;
        seen.add(cell.id);
        cell.lines.forEach((text, line) => {
          if (text === '') return;
          const piece: Piece = { text, ref: { block: b, row: r, col, line }, cell: cell.id };
          if (cell.nested) piece.nested = true;
          out.push(piece);
        });
      });
    });
  });
  return out;
}

/**
 * Names places of one document as a person finds them: "table 2, row 3, cell 2" or "paragraph 14" (the blocks
 * are counted once, then each place is named at once).
 */
export function placeNamer(blocks: readonly Block[]): (ref: SourceRef) => string {
  // Numbered from 1, tables and paragraphs each counted apart, as Word's own navigation does.
  const ordinals: number[] = [];
  let tables = 0;
  let paragraphs = 0;
  for (const b of blocks) ordinals.push(b.type === 'table' ? ++tables : ++paragraphs);
  return (ref) => {
    const ordinal = ordinals[ref.block] ?? 0;
    if (blocks[ref.block]?.type !== 'table') return `paragraph ${ordinal}`;
    return `table ${ordinal}, row ${(ref.row ?? 0) + 1}, cell ${(ref.col ?? 0) + 1}`;
  };
}
