import { attachmentSummary } from '../../db/attachment.repository.js';
import { fileOfCorrection, fileOfInitiative, fileOfResult } from '../../db/console.repository.js';
import type { Db } from '../../db/database.js';

// Where the console shows a record a person just changed: the page of the mail it was read from, at its anchor
// (the same anchors the mail's page draws: `file-<id>`, `initiative-<id>`, `field-<file>-<place>-<field>`).

/** The kinds of record the console can point at by their number. */
export type PlaceKind = 'file' | 'initiative' | 'result' | 'correction';

const ID = /^\d{1,18}$/;

/** The mail's page and anchor showing the record; undefined when there is no such record. */
export async function placeOf(db: Db, kind: PlaceKind, id: string): Promise<string | undefined> {
  if (!ID.test(id)) return undefined;
  switch (kind) {
    case 'file': {
      const f = await attachmentSummary(db, id);
      return f && `/messages/${f.message_id}#file-${f.id}`;
    }
    case 'initiative': {
      const f = await fileOfInitiative(db, id);
      return f && `/messages/${f.message_id}#initiative-${id}`;
    }
    case 'result': {
      // A result's row has no anchor of its own: the file it was read from, which lists it.
      const f = await fileOfResult(db, id);
      return f && `/messages/${f.message_id}#file-${f.attachment_id}`;
    }
    case 'correction': {
      const f = await fileOfCorrection(db, id);
      return f && `/messages/${f.message_id}#field-${f.attachment_id}-${f.position}-${f.field}`;
    }
  }
}
