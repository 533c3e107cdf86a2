import type { Transaction } from 'kysely';
import { setAttachmentOutcome } from '../db/attachment.repository.js';
import type { Database } from '../db/database.js';
import { insertInitiatives, insertResult, relinkResults } from '../db/initiative.repository.js';
import { addMessageReviewReason } from '../db/message.repository.js';
import type { DB } from '../db/schema.js';
import {
  earlierOriginal,
  hasOtherSubmissionsInMessage,
  insertSubmission,
  lockAgencyLedger,
  markCopy,
  setSubmissionReference,
  submissionState,
  takeBackRecordedParse,
} from '../db/submission.repository.js';
import type { AuthVerdict, SubmissionStatus } from '../domain/kinds.js';
import type { ReviewReason } from '../domain/review-reasons.js';
import { titleKey } from '../domain/title-match.js';
import type { SenderTrust } from '../mail/auth-results.js';
import type { ParsedForm } from '../parser/form-types.js';
import type { ParseOutcome } from '../parser/parse-form.js';
import { reapplyCorrections } from './correct-field.js';
import { lateness } from './deadlines.js';
import { rebuildLedger } from './ledger.js';
import { planSubmission } from './record-plan.js';
import { agencyById, agencyIdsByCode, campaignFor } from './reference-data.js';
import { contentHash, revisionHint } from './submission-facts.js';

/** What recording needs to know of the file and its message. */
export interface AttachmentContext {
  id: string;
  messageId: string;
  sha256: string;
  senderAgencyId: string | null;
  receivedAt: Date;
  authVerdict: AuthVerdict;
  /** How far the sender is believed (from the verdict and SENDER_AUTH); a person's confirmation is `trusted`. */
  trust: SenderTrust;
  /** The mail's subject and the file's name: they may say the form is a revision or a supplement. */
  subject: string | null;
  filename: string;
  /** The message's IMAP UID: with the arrival time, the order of arrival. */
  uid?: string;
}

export interface RecordedOutcome {
  state: 'parsed' | 'rejected';
  submissionId: string | null;
  status: SubmissionStatus | null;
  reviewReasons: ReviewReason[];
}

type Trx = Transaction<DB>;

/**
 * Write what the parser understood, in one transaction: the attachment's terminal state and, for a form, the
 * submission with its initiatives or results (rules: `planSubmission`, `planReplacements`, README "What counts").
 */
export async function recordParseResult(
  db: Database,
  attachment: AttachmentContext,
  outcome: ParseOutcome,
  parseMs: number | null = null,
): Promise<RecordedOutcome> {
  return db.transaction().execute((trx) => recordIn(db, trx, attachment, outcome, parseMs));
}

/**
 * Record an attachment's parse again (a replay after a parser fix, a confirmation by staff), atomically: what it
 * recorded before is taken back, the new outcome recorded, results reported against the old rows linked to the
 * new ones, and the submission keeps the reference its sender was given. A failure at any step leaves the old
 * state whole.
 */
export async function reRecordParseResult(
  db: Database,
  trx: Trx,
  attachment: AttachmentContext,
  outcome: ParseOutcome,
  keepReference: string | null,
): Promise<RecordedOutcome> {
  const before = await takeBackRecordedParse(trx, attachment.id);
  const recorded = await recordIn(db, trx, attachment, outcome, null, false);
  // People outrank the parser: their corrections are put back on the new rows, their links too.
  await reapplyCorrections(trx, attachment.id);
  await relinkResults(trx, attachment.id, before.orphans);
  if (keepReference && recorded.submissionId)
    await setSubmissionReference(trx, recorded.submissionId, keepReference);
  if (before.campaignId && before.agencyId && before.agencyId !== recorded.agencyId)
    await rebuildLedger(trx, before.campaignId, before.agencyId);
  if (!recorded.campaignId) return recorded;
  return settle(trx, recorded);
}

interface Recorded extends RecordedOutcome {
  campaignId: string | null;
  agencyId: string | null;
}

/** Rebuild the agency's ledger and read back what it made of the submission. */
async function settle(trx: Trx, r: Recorded): Promise<Recorded> {
  if (!r.campaignId || !r.submissionId) return r;
  await rebuildLedger(trx, r.campaignId, r.agencyId);
  const now = await submissionState(trx, r.submissionId);
  return now ? { ...r, status: now.status, reviewReasons: now.review_reasons as ReviewReason[] } : r;
}

async function recordIn(
  db: Database,
  trx: Trx,
  attachment: AttachmentContext,
  outcome: ParseOutcome,
  parseMs: number | null,
  rebuild = true,
): Promise<Recorded> {
  const none = { campaignId: null, agencyId: null };
  if (!outcome.ok) {
    await setAttachmentOutcome(trx, attachment.id, {
      state: 'rejected',
      reason_code: outcome.error.code,
      error_message: outcome.error.message,
      parse_ms: parseMs,
    });
    return { state: 'rejected', submissionId: null, status: null, reviewReasons: [], ...none };
  }
  const form = withoutNulDeep(outcome.form);
  await setAttachmentOutcome(trx, attachment.id, {
    state: 'parsed',
    parsed_kind: form.kind,
    parse_result: form,
    parse_ms: parseMs,
  });
  if (form.kind === 'not_a_form')
    return { state: 'parsed', submissionId: null, status: null, reviewReasons: [], ...none };

  const source = { db, trx };
  const campaign = await campaignFor(source, form.year, attachment.receivedAt);
  if (!campaign) {
    // Nothing can count without a campaign: the message waits for a person, who loads one and replays it.
    await addMessageReviewReason(trx, attachment.messageId, 'no_campaign');
    return { state: 'parsed', submissionId: null, status: null, reviewReasons: ['no_campaign'], ...none };
  }
  const idByCode = await agencyIdsByCode(source);
  const formAgencyId = form.agency_code ? (idByCode.get(form.agency_code) ?? null) : null;
  const formAgency = formAgencyId ? await agencyById(source, formAgencyId) : undefined;
  const plan = planSubmission({
    senderAgencyId: attachment.senderAgencyId,
    formAgencyId,
    formAgencyParentId: formAgency?.parent_id ?? null,
    trust: attachment.trust,
    uncertain: uncertainOf(form),
  });
  const { agencyId, reviewReasons, status } = plan;
  const hash = contentHash(form);
  const submission = await insertSubmission(
    trx,
    {
      campaign_id: campaign.id,
      agency_id: agencyId,
      attachment_id: attachment.id,
      kind: form.kind,
      form_agency_code: form.agency_code,
      form_agency_name: form.agency_name,
      form_year: form.year,
      status,
      review_reasons: reviewReasons,
      warnings: form.warnings,
      received_at: attachment.receivedAt,
      content_hash: hash,
      // After its deadline (the agency's own, the campaign's working days): it counts all the same, marked late.
      late: await lateness(trx, campaign, agencyId, form.kind, attachment.receivedAt),
      revision_hint: revisionHint([attachment.subject, attachment.filename]),
    },
    `CCHC-${campaign.year}`,
  );
  // Rows go in as the parser read them; which of them count, replace or link is the ledger's to say.
  if (form.kind === 'registration')
    await insertInitiativeRows(trx, submission.id, campaign.id, agencyId, status, form.initiatives);
  else await insertResultRows(trx, submission.id, form.results);
  const recorded: Recorded = {
    state: 'parsed',
    submissionId: submission.id,
    status,
    reviewReasons,
    campaignId: campaign.id,
    agencyId,
  };
  if (!rebuild) return recorded;
  // A held form counts nothing and changes nothing counted: it was written as the ledger would leave it, unless
  // another held form of the same mail could be its copy.
  if (status === 'pending_review') {
    if (!agencyId) return recorded;
    // Under the ledger's lock, so that two files of one mail recorded at once see each other.
    await lockAgencyLedger(trx, campaign.id, agencyId);
    if (!(await hasOtherSubmissionsInMessage(trx, attachment.messageId, submission.id))) return recorded;
  }
  // A copy of a form counted from an earlier mail changes nothing else: it is marked as such without rebuilding
  // the agency's registry (what the rebuild would conclude, at a fraction of the cost when copies pile up).
  if (status === 'active' && agencyId && attachment.uid) {
    await lockAgencyLedger(trx, campaign.id, agencyId);
    const original = await earlierOriginal(trx, {
      campaignId: campaign.id,
      agencyId,
      kind: form.kind,
      contentHash: hash,
      submissionId: submission.id,
      receivedAt: attachment.receivedAt,
      uid: attachment.uid,
    });
    if (original) {
      await markCopy(trx, submission.id, original.id);
      return { ...recorded, status: 'duplicate' };
    }
  }
  return settle(trx, recorded);
}

/** The fields the parser says it is unsure of (absent from results recorded before it said so). */
function uncertainOf(form: ParsedForm): readonly string[] {
  const u = (form as { uncertain?: unknown }).uncertain;
  return Array.isArray(u) ? u.filter((x): x is string => typeof x === 'string') : [];
}

async function insertInitiativeRows(
  trx: Trx,
  submissionId: string,
  campaignId: string,
  agencyId: string | null,
  status: 'active' | 'pending_review',
  initiatives: ParsedForm['initiatives'],
): Promise<void> {
  await insertInitiatives(
    trx,
    initiatives.map((initiative, i) => ({
      submission_id: submissionId,
      campaign_id: campaignId,
      agency_id: agencyId,
      position: i + 1,
      title: initiative.title,
      title_key: titleKey(initiative.title),
      summary: initiative.summary,
      necessity: initiative.necessity,
      expected_results: initiative.expected_results,
      products: initiative.products,
      beneficiaries: initiative.beneficiaries,
      benefits: initiative.benefits,
      timeline: initiative.timeline,
      start_month: initiative.start,
      end_month: initiative.end,
      lead_unit: initiative.lead_unit,
      notes: initiative.notes,
      // Not active yet: the active-title index must never see two at once; the ledger activates.
      status: status === 'active' ? ('superseded' as const) : ('pending_review' as const),
    })),
  );
}

async function insertResultRows(
  trx: Trx,
  submissionId: string,
  results: ParsedForm['results'],
): Promise<void> {
  for (const [i, result] of results.entries()) {
    await insertResult(trx, {
      submission_id: submissionId,
      initiative_id: null,
      position: i + 1,
      title: result.title,
      status: result.status,
      outcome: result.outcome,
      match_score: null,
      needs_review: false,
    });
  }
}

/** The form with every NUL taken out of its text: PostgreSQL stores none, in text or in jsonb. */
function withoutNulDeep<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(withoutNulDeep) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNulDeep(v)])) as T;
  return value;
}
