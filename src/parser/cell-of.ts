import type { Block, Cell, Table } from './blocks.js';

/** A table's rows as lines, its cells joined by " | " (what a cell holding it shows as text). */
function tableLines(t: Table): string[] {
  return t.rows.map((r) =>
    r
      .filter((c, i) => !c.merged || r[i - 1]?.id !== c.id)
      .map((c) => c.lines.join(' '))
      .join(' | '),
  );
}

/** A cell of the blocks it holds: their non-empty lines, and the blocks themselves when a table is among them. */
export function cellOfBlocks(inner: Block[], id: number): Cell {
  const lines = inner.flatMap((b) => (b.type === 'paragraph' ? b.lines : tableLines(b)));
  const cell: Cell = { lines: lines.filter((l) => l !== ''), merged: false, id };
  if (inner.some((b) => b.type === 'table')) cell.inner = inner;
  return cell;
}
