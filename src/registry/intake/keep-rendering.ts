import type { Database } from '../../db/database.js';
import { storeRendering } from '../../db/rendering.repository.js';
import type { ParseOutcome } from '../../parser/parse-form.js';

/**
 * Keep the drawing a parse made of its file (nothing for a refused file: its reading is the refusal). Written
 * before the reading is recorded: a retried job draws and writes it again, so a recorded file never lacks it.
 */
export async function keepRendering(
  db: Database,
  attachmentId: string,
  outcome: ParseOutcome,
): Promise<void> {
  if (!outcome.ok || !outcome.rendered) return;
  const { rendering, images } = outcome.rendered;
  await storeRendering(db, attachmentId, { kind: rendering.kind, rendering, images });
}
