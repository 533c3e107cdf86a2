import type { Block } from '../../parser/blocks.js';

/** A document as the console shows it: what the parser read, as paragraphs and tables of text. */
export type DocumentView =
  | { shown: true; blocks: ViewBlock[]; truncated: boolean }
  | { shown: false; why: string };

type ViewBlock =
  | { paragraph: true; lines: string[] }
  | { table: true; rows: { cells: { lines: string[]; colspan: number }[] }[] };

const MAX_BLOCKS = 2000;

/**
 * The blocks of a file the parser has already read successfully, for display. Only text comes out (a page
 * shows it escaped), so nothing of the document can run or load anything. Files the parser refused are not
 * opened again: they are the ones over a limit or hostile.
 */
export async function documentView(bytes: Buffer, state: string): Promise<DocumentView> {
  if (state !== 'parsed') return { shown: false, why: 'Tệp không đọc được nên không hiển thị nội dung.' };
  let blocks: Block[];
  try {
    // Only a file that parsed is opened again: its limits were checked then.
    // The readers (mammoth, the PDF and legacy .doc libraries) are loaded by the first page that shows a document.
    const { readBlocks } = await import('../../parser/parse-form.js');
    const read = await readBlocks(bytes, '', { maxBytes: bytes.length, maxUncompressedBytes: 1024 ** 3 });
    if ('form' in read) return { shown: false, why: 'Tệp không có nội dung văn bản để hiển thị.' };
    blocks = read.blocks;
  } catch {
    return { shown: false, why: 'Không đọc lại được nội dung tệp để hiển thị.' };
  }
  return {
    shown: true,
    blocks: blocks.slice(0, MAX_BLOCKS).map(viewBlock),
    truncated: blocks.length > MAX_BLOCKS,
  };
}

function viewBlock(b: Block): ViewBlock {
  if (b.type === 'paragraph') return { paragraph: true, lines: b.lines };
  return {
    table: true,
    rows: b.rows.map((row) => {
      // A merged cell is repeated in every grid position it covers: show it once, spanning its columns.
      const cells: { id: number; lines: string[]; colspan: number }[] = [];
      for (const cell of row) {
        const last = cells[cells.length - 1];
        if (last && cell.merged && last.id === cell.id) last.colspan += 1;
        else cells.push({ id: cell.id, lines: cell.lines, colspan: 1 });
      }
      return { cells: cells.map(({ lines, colspan }) => ({ lines, colspan })) };
    }),
  };
}
