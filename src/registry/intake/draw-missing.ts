import { parserLimits } from '../../config.js';
import { attachmentForParsing } from '../../db/attachment.repository.js';
import { filesWithoutRendering } from '../../db/rendering.repository.js';
import { parserRegistry } from '../reference/reference-data.js';
import { keepRendering } from './keep-rendering.js';
import type { ReplayDeps } from './replay-attachment.js';

/**
 * Draw the files read before drawings were kept (or whose drawing is missing), through the parser pool and its
 * limits. Only the drawing is written: what was read and recorded of each file stays as it is. Running it again
 * finds nothing left to draw.
 */
export async function drawMissing(
  deps: ReplayDeps,
  limit: number,
): Promise<{ drawn: number; notDrawn: { attachment: string; reason: string }[] }> {
  const { db, config } = deps;
  const registry = await parserRegistry(db);
  let drawn = 0;
  const notDrawn: { attachment: string; reason: string }[] = [];
  for (const { id } of await filesWithoutRendering(db, limit)) {
    const a = await attachmentForParsing(db, id);
    if (!a) continue;
    const outcome = await deps.parser.parse(a.bytes, a.filename, {
      registry,
      limits: parserLimits(config),
      render: true,
    });
    if (!outcome.ok) {
      // Read once, refused now (a limit lowered since): the file keeps its reading and is shown undrawn.
      notDrawn.push({ attachment: id, reason: outcome.error.code });
      continue;
    }
    await keepRendering(db, id, outcome);
    drawn++;
  }
  return { drawn, notDrawn };
}
