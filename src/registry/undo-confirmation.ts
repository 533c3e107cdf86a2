import type { Config } from '../config.js';
import { getAgency, removeStaffAddress } from '../db/agency.repository.js';
import type { Database } from '../db/database.js';
import { clearConfirmation, fileDecision } from '../db/file-decision.repository.js';
import { holdMessageForReview } from '../db/message.repository.js';
import { submissionByReference } from '../db/submission.repository.js';
import { OperationRefused } from '../errors.js';
import { type Actor, recordAudit } from './audit.js';
import { recordStoredFormAgain } from './record-again.js';

export interface UndoConfirmation {
  reference: string;
  /** Keep the sender's address the confirmation added to the registry (by default it is taken back too). */
  keepAddress?: boolean;
  note?: string | null;
}

/**
 * Take back a person's confirmation of a held form (confirmed for the wrong agency, or by mistake): the form is
 * recorded again as its mail alone would have it — held again unless its sender is now known — and the address the
 * confirmation added to the registry is taken back unless asked to keep it. One transaction, audited.
 */
export async function undoConfirmation(
  deps: { db: Database; config: Config },
  by: Actor,
  input: UndoConfirmation,
) {
  return deps.db.transaction().execute(async (trx) => {
    const s = await submissionByReference(trx, input.reference);
    if (!s)
      throw new OperationRefused('not_found', `no submission ${input.reference}`, {
        reference: input.reference,
      });
    const decision = await fileDecision(trx, s.attachment_id);
    const agencyId = decision?.confirmed_agency_id;
    if (!decision || !agencyId)
      throw new OperationRefused('wrong_state', `${input.reference} was not confirmed by a person`, {
        reference: input.reference,
      });
    const agency = await getAgency(trx, agencyId);
    const address = decision.remembered_address;
    const forgotten =
      address && !input.keepAddress && (await removeStaffAddress(trx, agencyId, address)) ? address : null;
    await clearConfirmation(trx, s.attachment_id);
    const recorded = await recordStoredFormAgain(deps, trx, s.attachment_id, s.reference);
    // Back on the review list, for the reasons it was held.
    if (recorded.status === 'pending_review')
      await holdMessageForReview(trx, s.message_id, recorded.reviewReasons);
    await recordAudit(trx, by, {
      action: 'undo_confirm_submission',
      subject: ['submission', s.reference],
      before: {
        status: s.status,
        agency: agency?.code ?? null,
        confirmed_by: decision.confirmed_by,
        address_remembered: address,
      },
      after: { status: recorded.status, address_forgotten: forgotten },
      note: input.note ?? null,
    });
    return { reference: s.reference, status: recorded.status, addressForgotten: forgotten };
  });
}
