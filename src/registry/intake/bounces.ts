import {
  addressWithBounce,
  agencyRecipients,
  bouncedAddresses,
  clearAddressBounce,
  setAddressBounce,
} from '../../db/agency.repository.js';
import type { Database, Db } from '../../db/database.js';
import { bounceReason } from '../../domain/bounce-status.js';
import { OperationRefused } from '../../errors.js';
import type { DeliveryReport } from '../../mail/delivery-status.js';
import { type Actor, recordAudit } from '../audit.js';

/** The stored delivery report a bounce comes from. */
export interface RecordBounce {
  /** The report's row in `messages`. */
  messageId: string;
  /** When the report arrived (IMAP INTERNALDATE): later reports win, and a clear made after it stands. */
  receivedAt: Date;
  report: DeliveryReport;
}

export interface BounceOutcome {
  /** Registered addresses flagged now. */
  flagged: { agencyCode: string; email: string; status: string | null }[];
  /** Registered addresses left as they were: already flagged by this or a later report, or cleared since. */
  unchanged: string[];
  /** Failed recipients that are no agency's registered address (nothing to flag). */
  unregistered: string[];
}

// The flag is raised by the poller, not by a person; the audit entry still lets staff see where it came from.
const POLLER: Actor = { name: 'delivery report', via: 'job' };

/**
 * Flag the registered addresses a delivery report says failed for good, so reminders skip them and the
 * digest asks staff to check them. Keyed by the report's arrival: reading the same report again changes nothing,
 * and a report older than a staff clear does not raise the flag again. Nothing is cleared automatically.
 */
export async function recordBounce(db: Database, input: RecordBounce): Promise<BounceOutcome> {
  const outcome: BounceOutcome = { flagged: [], unchanged: [], unregistered: [] };
  if (input.report.failed.length === 0) return outcome;
  return db.transaction().execute(async (trx) => {
    const seen = new Set<string>();
    for (const recipient of input.report.failed) {
      // The address as we sent it first; a server that rewrote it (an alias) reports the final one beside it.
      const candidates = [recipient.originalRecipient, recipient.finalRecipient, recipient.address].filter(
        (a): a is string => !!a,
      );
      let address: Awaited<ReturnType<typeof addressWithBounce>>;
      for (const c of candidates) {
        address = await addressWithBounce(trx, c);
        if (address) break;
      }
      if (!address) {
        outcome.unregistered.push(recipient.address);
        continue;
      }
      if (seen.has(address.id)) continue;
      seen.add(address.id);
      const at = input.receivedAt.getTime();
      const since = (d: Date | string | null) => (d ? new Date(d).getTime() >= at : false);
      if (since(address.bounced_at) || since(address.bounce_cleared_at)) {
        outcome.unchanged.push(address.email);
        continue;
      }
      await setAddressBounce(trx, address.id, {
        at: input.receivedAt,
        status: recipient.status,
        messageId: input.messageId,
      });
      await recordAudit(trx, POLLER, {
        action: 'flag_bounce',
        subject: ['agency_address', address.email],
        before: address.bounced_at
          ? {
              bouncedAt: address.bounced_at,
              status: address.bounce_status,
              messageId: address.bounce_message_id,
            }
          : { bounced: false },
        after: {
          bouncedAt: input.receivedAt,
          status: recipient.status,
          messageId: input.messageId,
          returned: input.report.originalMessageId,
        },
        note: recipient.diagnostic,
      });
      outcome.flagged.push({
        agencyCode: address.agency_code,
        email: address.email,
        status: recipient.status,
      });
    }
    return outcome;
  });
}

/**
 * Staff confirm an address works again (the agency fixed its mailbox, or the report was wrong): reminders go to
 * it again. Audited; the report stays stored.
 */
export async function clearBounce(db: Database, by: Actor, input: { email: string; note?: string | null }) {
  return db.transaction().execute(async (trx) => {
    const address = await addressWithBounce(trx, input.email);
    if (!address)
      throw new OperationRefused('not_found', `${input.email} is no agency's registered address`, {
        email: input.email,
      });
    if (!address.bounced_at)
      throw new OperationRefused('wrong_state', `${address.email} is not flagged as bounced`, {
        email: address.email,
      });
    const clearedAt = new Date();
    await clearAddressBounce(trx, address.id, clearedAt);
    await recordAudit(trx, by, {
      action: 'clear_bounce',
      subject: ['agency_address', address.email],
      before: {
        bouncedAt: address.bounced_at,
        status: address.bounce_status,
        messageId: address.bounce_message_id,
      },
      after: { bounced: false },
      note: input.note ?? null,
    });
    return { agencyCode: address.agency_code, email: address.email, clearedAt };
  });
}

/** A bounced address as people see it: agency, address, since when, why in words. */
export interface BouncedAddress {
  agencyCode: string;
  agencyName: string;
  email: string;
  bouncedAt: Date;
  reason: string;
  /** The status code (RFC 3463) as reported, for operators. */
  status: string | null;
  /** The stored delivery report (a `messages` id). */
  reportMessageId: string | null;
}

/**
 * The addresses staff should check, and the agencies no reminder can reach any more (every registered address
 * bounced).
 */
export async function addressesToCheck(
  db: Db,
): Promise<{ bounced: BouncedAddress[]; unreachable: { code: string; name: string }[] }> {
  const rows = await bouncedAddresses(db);
  const bounced = rows.map((r) => ({
    agencyCode: r.agency_code,
    agencyName: r.agency_name,
    email: r.email,
    bouncedAt: new Date(r.bounced_at as Date | string),
    reason: bounceReason(r.bounce_status),
    status: r.bounce_status,
    reportMessageId: r.bounce_message_id,
  }));
  const recipients = await agencyRecipients(db);
  const unreachable = new Map<string, { code: string; name: string }>();
  for (const r of rows) {
    if (recipients.get(r.agency_id)?.reachable.length === 0)
      unreachable.set(r.agency_id, { code: r.agency_code, name: r.agency_name });
  }
  return { bounced, unreachable: [...unreachable.values()] };
}
