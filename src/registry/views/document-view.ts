import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { pageImage, renderingsOf } from '../../db/rendering.repository.js';

// The document as sent, as the console shows it: the drawing the parse pool made when it read the file, read
// from the database. The console never opens a file to show it. What is stored is checked against its shape
// here; only text and numbers come out of it, and a page escapes them.

const lines = z.array(z.string()).max(10_000);
const anchor = z.string().regex(/^[a-z0-9-]{1,40}$/);
const sources = z.record(z.string().max(80), z.array(anchor).max(200));

const Stored = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('blocks'),
    truncated: z.boolean(),
    sources,
    blocks: z.array(
      z.discriminatedUnion('type', [
        z.object({ type: z.literal('p'), id: anchor, lines }),
        z.object({
          type: z.literal('table'),
          id: anchor,
          rows: z.array(
            z.array(
              z.object({
                id: anchor,
                lines,
                colspan: z.number().int().min(1).max(1000),
                rowspan: z.number().int().min(1).max(100_000),
              }),
            ),
          ),
        }),
      ]),
    ),
  }),
  z.object({
    kind: z.literal('pdf'),
    truncated: z.boolean(),
    sources,
    pages: z.array(
      z.object({
        width: z.number().positive(),
        height: z.number().positive(),
        texts: z.array(
          z.object({ x: z.number(), y: z.number(), w: z.number(), size: z.number(), text: z.string() }),
        ),
      }),
    ),
  }),
  z.object({
    kind: z.literal('images'),
    truncated: z.boolean(),
    pageCount: z.number().int().min(0),
    pages: z.array(z.object({ width: z.number().int().positive(), height: z.number().int().positive() })),
  }),
  z.object({ kind: z.literal('none'), why: z.string() }),
]);

type StoredRendering = z.infer<typeof Stored>;

/** A document as a page shows it; anchors are unique on the page (prefixed with the file's id). */
export type DocumentView =
  | { shown: 'blocks'; blocks: ViewBlock[]; truncated: boolean }
  | { shown: 'pdf'; pages: ViewPage[]; truncated: boolean }
  | {
      shown: 'images';
      pages: { id: string; src: string; width: number; height: number; number: number }[];
      more: number;
    }
  | { shown: false; why: string };

type ViewBlock =
  | { paragraph: true; id: string; lines: string[] }
  | {
      table: true;
      id: string;
      rows: { cells: { id: string; lines: string[]; colspan: number | null; rowspan: number | null }[] }[];
    };

interface ViewPage {
  id: string;
  number: number;
  viewBox: string;
  texts: { id: string; x: number; y: number; size: number; length: number | null; text: string }[];
}

const NOTHING: Record<string, string> = {
  empty: 'Tệp không có nội dung để hiển thị.',
  image_format: 'Ảnh ở định dạng không hiển thị được trên trang; hãy tải tệp về để xem.',
  image_too_large: 'Ảnh quá lớn để hiển thị trên trang; hãy tải tệp về để xem.',
  not_drawable: 'Không hiển thị được nội dung tệp; hãy tải tệp về để xem.',
};

/** The documents of a mail's files, by attachment id, with where each field's text came from. */
export async function documentsOf(
  db: Db,
  files: readonly { id: string; state: string }[],
): Promise<Map<string, { document: DocumentView; sources: Map<string, string> }>> {
  const stored = await renderingsOf(
    db,
    files.filter((f) => f.state === 'parsed').map((f) => f.id),
  );
  const out = new Map<string, { document: DocumentView; sources: Map<string, string> }>();
  for (const f of files) {
    const found = stored.get(f.id);
    if (f.state !== 'parsed') {
      out.set(f.id, {
        document: nothing('Tệp không đọc được nên không hiển thị nội dung.'),
        sources: new Map(),
      });
      continue;
    }
    const parsed = found ? Stored.safeParse(found.rendering) : null;
    if (!parsed?.success) {
      out.set(f.id, {
        document: nothing(
          'Chưa có bản hiển thị của tệp này (tệp được đọc trước khi hệ thống lưu bản hiển thị). Chọn "Đọc lại tệp" hoặc tải tệp về để xem.',
        ),
        sources: new Map(),
      });
      continue;
    }
    out.set(f.id, { document: view(parsed.data, f.id), sources: sourceLinks(parsed.data, f.id) });
  }
  return out;
}

const nothing = (why: string): DocumentView => ({ shown: false, why });

function view(r: StoredRendering, fileId: string): DocumentView {
  const at = (id: string) => `d${fileId}-${id}`;
  switch (r.kind) {
    case 'blocks':
      return {
        shown: 'blocks',
        truncated: r.truncated,
        blocks: r.blocks.map((b) =>
          b.type === 'p'
            ? { paragraph: true, id: at(b.id), lines: b.lines }
            : {
                table: true,
                id: at(b.id),
                rows: b.rows.map((row) => ({
                  cells: row.map((c) => ({
                    id: at(c.id),
                    lines: c.lines,
                    // Written only where a cell spans more than one column or row.
                    colspan: c.colspan > 1 ? c.colspan : null,
                    rowspan: c.rowspan > 1 ? c.rowspan : null,
                  })),
                })),
              },
        ),
      };
    case 'pdf':
      return {
        shown: 'pdf',
        truncated: r.truncated,
        pages: r.pages.map((p, i) => ({
          id: at(`p${i + 1}`),
          number: i + 1,
          viewBox: `0 0 ${p.width} ${p.height}`,
          texts: p.texts.map((t, n) => ({
            id: at(`p${i + 1}-t${n}`),
            x: t.x,
            y: t.y,
            size: t.size > 0 ? t.size : 10,
            // Stretched to the width it had on the page, so a line keeps its place whatever the font.
            length: t.w > 0 ? t.w : null,
            text: t.text,
          })),
        })),
      };
    case 'images':
      return {
        shown: 'images',
        pages: r.pages.map((p, i) => ({
          id: at(`page${i + 1}`),
          src: `/files/${fileId}/pages/${i + 1}`,
          width: p.width,
          height: p.height,
          number: i + 1,
        })),
        more: Math.max(0, r.pageCount - r.pages.length),
      };
    case 'none':
      return nothing(NOTHING[r.why] ?? NOTHING.not_drawable ?? '');
  }
}

/** Each field path's first place in the document, as a link within the page. */
function sourceLinks(r: StoredRendering, fileId: string): Map<string, string> {
  if (r.kind !== 'blocks' && r.kind !== 'pdf') return new Map();
  return new Map(
    Object.entries(r.sources).flatMap(([path, anchors]) =>
      anchors[0] ? [[path, `#d${fileId}-${anchors[0]}`] as const] : [],
    ),
  );
}

/** One page image of a scan, by file and page number. */
export async function pageImageOf(db: Db, attachmentId: string, page: number) {
  if (!/^\d{1,18}$/.test(attachmentId)) return undefined;
  return pageImage(db, attachmentId, page);
}
