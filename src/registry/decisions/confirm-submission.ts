import type { Config } from '../../config.js';
import { addressOwner, addStaffAddress, findAgencyByCode } from '../../db/agency.repository.js';
import type { Database } from '../../db/database.js';
import { setConfirmation } from '../../db/file-decision.repository.js';
import { forgeryVerdict } from '../../db/review.repository.js';
import { rememberRisks } from '../../domain/remember-address.js';
import { OperationRefused } from '../../errors.js';
import { type Actor, recordAudit } from '../audit.js';
import { decidedSubmission, recordStoredFormAgain, settleMessage } from '../intake/record-again.js';

export interface ConfirmSubmission {
  reference: string;
  /** The agency it belongs to; by default the one its form names. */
  agencyCode?: string | null;
  /** Add the sender's address to the agency in the registry, so its next mail counts without review. */
  rememberAddress?: boolean;
  /**
   * The person accepts the risks of remembering it (`rememberRisks`: a free-mail address, a sender not
   * authenticated); without this, remembering such an address is refused.
   */
  acceptRisks?: boolean;
  note?: string | null;
}

export interface Confirmed {
  reference: string;
  agency: { code: string; name: string };
  status: string | null;
  addressRemembered: string | null;
}

/**
 * A person vouches for a submission held for review (unknown sender, agency mismatch, failed authentication):
 * it is recorded again as the agency's own, so its initiatives count and replace earlier ones by the usual
 * rules; its reference stays the one the sender was told. One transaction, audited.
 */
export async function confirmSubmission(
  deps: { db: Database; config: Config },
  by: Actor,
  input: ConfirmSubmission,
): Promise<Confirmed> {
  return deps.db.transaction().execute(async (trx) => {
    const s = await decidedSubmission(trx, input.reference);
    if (s.status !== 'pending_review') {
      throw new OperationRefused('wrong_state', `${input.reference} is ${s.status}, not waiting for review`, {
        reference: input.reference,
        status: s.status,
      });
    }
    if (await forgeryVerdict(trx, s.message_id))
      throw new OperationRefused('wrong_state', `${input.reference} came in a mail judged a forgery`, {
        reference: input.reference,
      });
    const code = input.agencyCode || s.form_agency_code;
    const agency = code ? await findAgencyByCode(trx, code) : undefined;
    if (!agency) {
      throw new OperationRefused(
        'invalid_input',
        code ? `no agency ${code} in the registry` : 'the form names no agency: choose one',
        { reference: input.reference, agency: code ?? null },
      );
    }
    let remembered: string | null = null;
    const risks = input.rememberAddress ? rememberRisks(s.from_address, s.auth_verdict) : [];
    if (risks.length > 0 && !input.acceptRisks)
      throw new OperationRefused(
        'invalid_input',
        `remembering ${s.from_address} is a risk (${risks.join(', ')}): accept it explicitly, or confirm without remembering`,
        { reference: input.reference, reason: 'remember_risk', risks },
      );
    if (input.rememberAddress && s.from_address) {
      const owner = await addressOwner(trx, s.from_address);
      if (owner && owner.agency_id !== agency.id) {
        throw new OperationRefused(
          'conflict',
          `${s.from_address} belongs to another agency in the registry`,
          {
            address: s.from_address,
          },
        );
      }
      if (!owner) {
        await addStaffAddress(trx, agency.id, s.from_address, by.name);
        remembered = s.from_address;
      }
    }
    // Kept apart from the parser's reading, so that a replay of the file keeps it (undone by undoConfirmation).
    await setConfirmation(trx, s.attachment_id, {
      agencyId: agency.id,
      by: by.name,
      rememberedAddress: remembered,
    });
    const recorded = await recordStoredFormAgain(deps, trx, s.attachment_id, s.reference);
    await settleMessage(trx, s.message_id, recorded, true);
    await recordAudit(trx, by, {
      action: 'confirm_submission',
      subject: ['submission', s.reference],
      before: { status: s.status, agency_id: s.agency_id, review_reasons: s.review_reasons },
      after: {
        status: recorded.status,
        agency: agency.code,
        address_remembered: remembered,
        ...(remembered && risks.length > 0 ? { risks_accepted: risks } : {}),
      },
      note: input.note ?? null,
    });
    return {
      reference: s.reference,
      agency: { code: agency.code, name: agency.name },
      status: recorded.status,
      addressRemembered: remembered,
    };
  });
}
