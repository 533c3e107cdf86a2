import type { Database } from '../../db/database.js';
import { type StoredRendering, storeRendering } from '../../db/rendering.repository.js';
import type { ParseOutcome } from '../../parser/parse-form.js';

/** The drawing a parse made of its file, as it is stored (none for a refused file: its reading is the refusal). */
export function drawingOf(outcome: ParseOutcome): StoredRendering | null {
  if (!outcome.ok || !outcome.rendered) return null;
  const { rendering, images } = outcome.rendered;
  return { kind: rendering.kind, rendering, images };
}

/** Keep the drawing a parse made of its file, replacing an earlier one. */
export async function keepRendering(
  db: Database,
  attachmentId: string,
  outcome: ParseOutcome,
): Promise<void> {
  const drawing = drawingOf(outcome);
  if (drawing) await storeRendering(db, attachmentId, drawing);
}
