import type { Database, Db } from './database.js';
import { reusableQuery } from './reusable-query.js';

/** A drawing of a document as the parse pool made it: its description, and a scan's page images. */
export interface StoredRendering {
  kind: 'blocks' | 'pdf' | 'images' | 'none';
  /** The description, as JSON (see src/parser/rendering.ts). */
  rendering: unknown;
  images: { page: number; width: number; height: number; mime: 'image/jpeg'; bytes: Uint8Array }[];
}

/** The drawing of a text document (no page images): its kind and description. */
export interface TextDrawing {
  kind: StoredRendering['kind'];
  rendering: unknown;
}

/** Keep a text document's drawing, replacing an earlier one and its page images: one statement. */
export async function keepTextDrawing(db: Db, attachmentId: string, d: TextDrawing): Promise<void> {
  await upsertWithoutImages(db, { attachmentId, kind: d.kind, rendering: JSON.stringify(d.rendering) });
}

/**
 * Keep a file's drawing, replacing an earlier one (a file read again): one statement for a text document, one
 * transaction for a scan and its pages.
 */
export async function storeRendering(db: Database, attachmentId: string, r: StoredRendering): Promise<void> {
  const rendering = JSON.stringify(r.rendering);
  if (r.images.length === 0) {
    await upsertWithoutImages(db, { attachmentId, kind: r.kind, rendering });
    return;
  }
  await db.transaction().execute(async (trx) => {
    await upsertWithoutImages(trx, { attachmentId, kind: r.kind, rendering });
    await trx
      .insertInto('document_page_images')
      .values(
        r.images.map((image) => ({
          attachment_id: attachmentId,
          page: image.page,
          mime: image.mime,
          width: image.width,
          height: image.height,
          bytes: Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength),
        })),
      )
      .execute();
  });
}

// The earlier drawing's page images go with it, in the same statement.
const upsertWithoutImages = reusableQuery(
  (db, p: { attachmentId: string; kind: string; rendering: string }) =>
    db
      .with('gone', (d) => d.deleteFrom('document_page_images').where('attachment_id', '=', p.attachmentId))
      .insertInto('document_renderings')
      .values({ attachment_id: p.attachmentId, kind: p.kind, rendering: p.rendering })
      .onConflict((c) =>
        c.column('attachment_id').doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          rendering: eb.ref('excluded.rendering'),
          rendered_at: eb.fn('now'),
        })),
      ),
);

/** The drawings of some files, by attachment id (files without one are absent). */
export async function renderingsOf(
  db: Db,
  attachmentIds: readonly string[],
): Promise<Map<string, { kind: string; rendering: unknown }>> {
  if (attachmentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('document_renderings')
    .select(['attachment_id', 'kind', 'rendering'])
    .where('attachment_id', 'in', attachmentIds)
    .execute();
  return new Map(rows.map((r) => [String(r.attachment_id), { kind: r.kind, rendering: r.rendering }]));
}

/** One page image of a file's drawing. */
export async function pageImage(
  db: Db,
  attachmentId: string,
  page: number,
): Promise<{ mime: string; bytes: Buffer } | undefined> {
  return db
    .selectFrom('document_page_images')
    .select(['mime', 'bytes'])
    .where('attachment_id', '=', attachmentId)
    .where('page', '=', page)
    .executeTakeFirst();
}

/** Files read before drawings were kept, or whose drawing is missing: for `reform files render`. */
export async function filesWithoutRendering(
  db: Db,
  limit: number,
): Promise<{ id: string; filename: string }[]> {
  const rows = await db
    .selectFrom('attachments as a')
    .leftJoin('document_renderings as r', 'r.attachment_id', 'a.id')
    .select(['a.id', 'a.filename'])
    .where('a.state', '=', 'parsed')
    .where('r.attachment_id', 'is', null)
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: String(r.id), filename: r.filename }));
}
