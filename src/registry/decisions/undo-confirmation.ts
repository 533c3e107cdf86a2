import type { Config } from '../../config.js';
import { getAgency, removeStaffAddress } from '../../db/agency.repository.js';
import type { Database } from '../../db/database.js';
import { clearConfirmation, fileDecision } from '../../db/file-decision.repository.js';
import { OperationRefused } from '../../errors.js';
import { type Actor, recordAudit } from '../audit.js';
import { decidedSubmission, recordStoredFormAgain, settleMessage } from '../intake/record-again.js';

export interface UndoConfirmation {
  reference: string;
  /** Keep the sender's address the confirmation added to the registry (by default it is taken back too). */
  keepAddress?: boolean;
  note?: string | null;
}

/**
 * Take back a person's confirmation of a held form (confirmed for the wrong agency, or by mistake): the form is
 * recorded again as its mail alone would have it — held again, since its sender was not known when it came (the
 * sender of a mail is the one its address named on arrival) — and the address the confirmation added to the
 * registry is taken back unless asked to keep it (later mail from it then counts). One transaction, audited.
 */
export async function undoConfirmation(
  deps: { db: Database; config: Config },
  by: Actor,
  input: UndoConfirmation,
) {
  return deps.db.transaction().execute(async (trx) => {
    const s = await decidedSubmission(trx, input.reference);
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
    await settleMessage(trx, s.message_id, recorded);
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
