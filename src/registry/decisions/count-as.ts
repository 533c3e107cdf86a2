import type { Database } from '../../db/database.js';
import { fileDecision, setCountsAs } from '../../db/file-decision.repository.js';
import { submissionState } from '../../db/submission.repository.js';
import { OperationRefused } from '../../errors.js';
import { type Actor, recordAudit } from '../audit.js';
import { rebuildLedger } from '../intake/ledger.js';
import { decidedSubmission } from '../intake/record-again.js';

/** What a person may say a registration is: it replaces the agency's earlier one, or adds to it. */
export const COUNTS_AS = ['revision', 'supplement'] as const;
export type CountsAs = (typeof COUNTS_AS)[number];

export interface CountSubmissionAs {
  reference: string;
  /** `supplement` undoes the replacement a revision made; `revision` makes one; null goes back to the mail's word. */
  countsAs: CountsAs | null;
  note?: string | null;
}

/**
 * A person says whether a registration replaces the agency's earlier one or adds to it, whatever its mail said (a
 * form taken for a revision that was a supplement, or the reverse). Kept as the file's decision, so a replay keeps
 * it; the agency's registry is rebuilt at once. One transaction, audited.
 */
export async function countSubmissionAs(db: Database, by: Actor, input: CountSubmissionAs) {
  if (input.countsAs !== null && !COUNTS_AS.includes(input.countsAs))
    throw new OperationRefused('invalid_input', `a registration counts as ${COUNTS_AS.join(' or ')}`);
  return db.transaction().execute(async (trx) => {
    const s = await decidedSubmission(trx, input.reference);
    if (s.kind !== 'registration')
      throw new OperationRefused('invalid_input', 'only a registration replaces or adds to another', {
        reference: input.reference,
      });
    if (s.status === 'pending_review' || !s.agency_id)
      throw new OperationRefused(
        'wrong_state',
        `${input.reference} is held: it counts nothing until confirmed`,
        {
          reference: input.reference,
        },
      );
    const before = (await fileDecision(trx, s.attachment_id))?.counts_as ?? null;
    if (before === input.countsAs)
      throw new OperationRefused('wrong_state', `${input.reference} already counts so`, {
        reference: input.reference,
      });
    await setCountsAs(trx, s.attachment_id, input.countsAs, by.name);
    await rebuildLedger(trx, s.campaign_id, s.agency_id);
    const now = await submissionState(trx, s.id);
    await recordAudit(trx, by, {
      action: 'count_as',
      subject: ['submission', s.reference],
      before: { counts_as: before, mail_says: s.revision_hint, status: s.status },
      after: { counts_as: input.countsAs, status: now?.status ?? null },
      note: input.note ?? null,
    });
    return { reference: s.reference, countsAs: input.countsAs, status: now?.status ?? null };
  });
}
