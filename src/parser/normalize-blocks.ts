import { type Block, type Cell, cellText, type Paragraph, type Table } from './blocks.js';
import { matchLabel } from './labels.js';

// Word's structures brought to one shape before any layout is read, whoever produced the file: a one-column
// table framing the form is its content; a table inside a cell is read as labels and values where it has them;
// a table cut in two (a page break, a producer that splits it) or interrupted by its header repeated is one
// table. Layout readers then see the same blocks however the form was built.

/** The blocks with frames unwrapped, nested tables read, split tables joined and repeated headers dropped. */
export function normalizeBlocks(blocks: readonly Block[]): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    if (block.type === 'paragraph') {
      out.push(block);
      continue;
    }
    const framed = frameContent(block);
    if (framed) {
      out.push(...normalizeBlocks(framed));
      continue;
    }
    const table = dropRepeatedHeader(readNestedCells(block));
    const previous = previousTable(out);
    if (previous && continues(previous.table, table)) {
      out.splice(previous.at, out.length - previous.at, join(previous.table, table));
      continue;
    }
    out.push(table);
  }
  return out;
}

const uniqueCells = (row: Cell[]) =>
  row.filter((c, i) => !c.merged && row.findIndex((d) => d.id === c.id) === i);

/** A one-column table around the form (a frame, a box) that holds tables: its cells' own blocks, in order. */
function frameContent(table: Table): Block[] | null {
  const cells = table.rows.map(uniqueCells);
  if (!cells.every((row) => row.length <= 1)) return null;
  const all = cells.flat();
  if (!all.some((c) => c.inner?.some((b) => b.type === 'table'))) return null;
  return all.flatMap((c): Block[] => c.inner ?? [{ type: 'paragraph', lines: c.lines } satisfies Paragraph]);
}

const strictKey = (text: string) => {
  if (text === '' || text.split(/\s+/).length > 12) return null;
  const m = matchLabel(text);
  return m && m.key !== 'number' ? m.key : null;
};

/** A table inside a cell, as "Label: value" lines where it has labels (down a column or along a row). */
function labelValueLines(t: Table): string[] | null {
  const rows = t.rows.map(uniqueCells).filter((r) => r.some((c) => cellText(c) !== ''));
  if (rows.length === 0) return [];
  // Labels down the first column: "Sản phẩm | …", "Đối tượng thụ hưởng | …".
  if (rows.every((r) => r.length >= 2 && strictKey(cellText(r[0])) !== null)) {
    return rows.flatMap((r) =>
      withLabel(
        cellText(r[0]),
        r.slice(1).flatMap((c) => c.lines),
      ),
    );
  }
  // Labels along the first row, values under them.
  const head = rows[0] as Cell[];
  if (rows.length >= 2 && head.length >= 2 && head.every((c) => strictKey(cellText(c)) !== null)) {
    const lines: string[] = [];
    for (const r of rows.slice(1)) {
      r.forEach((c, i) => {
        const label = head[i];
        if (label) lines.push(...withLabel(cellText(label), c.lines));
      });
    }
    return lines;
  }
  return null;
}

function withLabel(label: string, value: string[]): string[] {
  const name = label.replace(/\s*[:：]\s*$/, '');
  return value.length === 0 ? [`${name}:`] : [`${name}: ${value[0]}`, ...value.slice(1)];
}

/** Cells holding a table: their lines rebuilt from it as labels and values, or marked as flattened. */
function readNestedCells(table: Table): Table {
  if (!table.rows.some((r) => r.some((c) => c.inner?.some((b) => b.type === 'table')))) return table;
  const done = new Map<number, Cell>();
  const rows = table.rows.map((row) =>
    row.map((cell) => {
      if (!cell.inner) return cell;
      let own = done.get(cell.id);
      if (!own) {
        let nested = false;
        const lines = normalizeBlocks(cell.inner).flatMap((b) => {
          if (b.type === 'paragraph') return b.lines;
          const read = labelValueLines(b);
          if (read) return read;
          nested = true;
          return b.rows.map((r) =>
            uniqueCells(r)
              .map((c) => c.lines.join(' '))
              .join(' | '),
          );
        });
        own = { ...cell, lines: lines.filter((l) => l !== ''), nested: nested || undefined };
        if (!nested) delete own.nested;
        done.set(cell.id, own);
      }
      return cell.merged ? { ...own, merged: true } : own;
    }),
  );
  return { type: 'table', rows };
}

const rowTexts = (row: Cell[]) => uniqueCells(row).map(cellText).join('\u0001');

/** A table whose header row has labels for two fields or more (title among them): a table of items by row. */
function headerRow(table: Table): number {
  for (let r = 0; r < Math.min(3, table.rows.length); r++) {
    const keys = new Set((table.rows[r] ?? []).map((c) => strictKey(cellText(c))).filter((k) => k !== null));
    if (keys.has('title') && keys.size >= 2) return r;
  }
  return -1;
}

/** The header row written again inside the table (a page's repeated header typed by hand): dropped. */
function dropRepeatedHeader(table: Table): Table {
  const h = headerRow(table);
  if (h < 0) return table;
  const header = rowTexts(table.rows[h] as Cell[]);
  const rows = table.rows.filter((row, r) => r <= h || rowTexts(row) !== header);
  return rows.length === table.rows.length ? table : { type: 'table', rows };
}

/** The last table of the blocks, with nothing but empty paragraphs after it. */
function previousTable(blocks: Block[]): { table: Table; at: number } | null {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i] as Block;
    if (b.type === 'table') return { table: b, at: i };
    if (b.lines.some((l) => l !== '')) return null;
  }
  return null;
}

/** A table of labels down its first column whose rows are all "label | value". */
function labelColumnOnly(t: Table): boolean {
  // A row with its label cell empty goes on with the value above.
  return t.rows.every((r, i) => {
    const cells = r.filter((c, k) => r.findIndex((d) => d.id === c.id) === k);
    const label = cellText(cells[0]);
    return cells.length === 2 && (strictKey(label) !== null || (i > 0 && label === ''));
  });
}

/** A table that goes on from the one before it: same columns, and its header repeated or no header at all. */
function continues(before: Table, next: Table): boolean {
  // A label column cut into pieces (a PDF's table broken at every row): one table, unless the next piece
  // opens another item with its title.
  if (labelColumnOnly(before) && labelColumnOnly(next)) {
    const first = uniqueCells(next.rows[0] as Cell[])[0];
    return strictKey(cellText(first)) !== 'title';
  }
  const width = before.rows[0]?.length ?? 0;
  if (width < 3 || next.rows.length === 0 || next.rows.some((r) => r.length !== width)) return false;
  const h = headerRow(before);
  if (h < 0) return false;
  const first = next.rows[0] as Cell[];
  if (rowTexts(first) === rowTexts(before.rows[h] as Cell[])) return true;
  // No header of its own: the rows go on (a label in a cell of a value row would be a header of another table).
  return first.filter((c) => strictKey(cellText(c)) !== null).length <= 1;
}

/** Two tables as one, the second's repeated header rows left out and its cells numbered after the first's. */
function join(before: Table, next: Table): Table {
  const h = Math.max(0, headerRow(before));
  // The header written again on top of the second part, with its sub-rows and numbering row if any.
  let skip = 0;
  while (
    skip < next.rows.length &&
    before.rows[h + skip] &&
    rowTexts(next.rows[skip] as Cell[]) === rowTexts(before.rows[h + skip] as Cell[])
  )
    skip++;
  const offset = Math.max(-1, ...before.rows.flat().map((c) => c.id)) + 1;
  const moved = next.rows.slice(skip).map((row) => row.map((c) => ({ ...c, id: c.id + offset })));
  return { type: 'table', rows: [...before.rows, ...moved] };
}
