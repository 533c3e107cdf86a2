import type { Transaction } from 'kysely';
import { setAttachmentOutcome } from '../db/attachment.repository.js';
import type { Database } from '../db/database.js';
import {
  activeInitiatives,
  hasActiveInitiatives,
  insertInitiatives,
  insertResult,
  linkSuperseded,
  relinkResults,
  supersedeInitiative,
} from '../db/initiative.repository.js';
import { addMessageReviewReason } from '../db/message.repository.js';
import type { DB } from '../db/schema.js';
import {
  addSubmissionReviewReason,
  findSameFileSubmission,
  insertSubmission,
  setSubmissionReference,
  setSubmissionStatus,
  setSubmissionSupersedes,
  takeBackRecordedParse,
} from '../db/submission.repository.js';
import type { AuthVerdict, SubmissionStatus } from '../domain/kinds.js';
import type { ReviewReason } from '../domain/review-reasons.js';
import { bestTitleMatch, titleKey } from '../domain/title-match.js';
import type { SenderTrust } from '../mail/auth-results.js';
import type { ParsedForm } from '../parser/form-types.js';
import type { ParseOutcome } from '../parser/parse-form.js';
import { reapplyCorrections } from './correct-field.js';
import { planReplacements, planSubmission } from './record-plan.js';
import { agencyIdsByCode, campaignFor } from './reference-data.js';

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
  const orphans = await takeBackRecordedParse(trx, attachment.id);
  const recorded = await recordIn(db, trx, attachment, outcome, null);
  // People outrank the parser: their corrections are put back on the new rows.
  await reapplyCorrections(trx, attachment.id);
  await relinkResults(trx, attachment.id, orphans);
  if (keepReference && recorded.submissionId)
    await setSubmissionReference(trx, recorded.submissionId, keepReference);
  return recorded;
}

async function recordIn(
  db: Database,
  trx: Trx,
  attachment: AttachmentContext,
  outcome: ParseOutcome,
  parseMs: number | null,
): Promise<RecordedOutcome> {
  if (!outcome.ok) {
    await setAttachmentOutcome(trx, attachment.id, {
      state: 'rejected',
      reason_code: outcome.error.code,
      error_message: outcome.error.message,
      parse_ms: parseMs,
    });
    return { state: 'rejected', submissionId: null, status: null, reviewReasons: [] };
  }
  const form = outcome.form;
  await setAttachmentOutcome(trx, attachment.id, {
    state: 'parsed',
    parsed_kind: form.kind,
    parse_result: form,
    parse_ms: parseMs,
  });
  if (form.kind === 'not_a_form')
    return { state: 'parsed', submissionId: null, status: null, reviewReasons: [] };

  const source = { db, trx };
  const campaign = await campaignFor(source, form.year, attachment.receivedAt);
  if (!campaign) {
    // Nothing can count without a campaign: the message waits for a person, who loads one and replays it.
    await addMessageReviewReason(trx, attachment.messageId, 'no_campaign');
    return { state: 'parsed', submissionId: null, status: null, reviewReasons: ['no_campaign'] };
  }
  const idByCode = await agencyIdsByCode(source);
  const plan = planSubmission({
    senderAgencyId: attachment.senderAgencyId,
    formAgencyId: form.agency_code ? (idByCode.get(form.agency_code) ?? null) : null,
    trust: attachment.trust,
    uncertain: uncertainOf(form),
  });
  const { agencyId, reviewReasons } = plan;
  let status: SubmissionStatus = plan.status;
  const duplicate =
    agencyId && status === 'active'
      ? await findSameFileSubmission(trx, attachment.sha256, agencyId, attachment.id)
      : undefined;
  if (duplicate) status = 'duplicate';

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
    },
    `CCHC-${campaign.year}`,
  );
  if (status === 'duplicate') return { state: 'parsed', submissionId: submission.id, status, reviewReasons };

  if (form.kind === 'registration') {
    await recordInitiatives(trx, submission.id, campaign.id, agencyId, status, form.initiatives);
  } else {
    const unmatched = await recordResults(trx, submission.id, campaign.id, agencyId, form.results);
    if (unmatched > 0) {
      await addSubmissionReviewReason(trx, submission.id, 'unmatched_result');
      reviewReasons.push('unmatched_result');
    }
  }
  return { state: 'parsed', submissionId: submission.id, status, reviewReasons };
}

/** The fields the parser says it is unsure of (absent from results recorded before it said so). */
function uncertainOf(form: ParsedForm): readonly string[] {
  const u = (form as { uncertain?: unknown }).uncertain;
  return Array.isArray(u) ? u.filter((x): x is string => typeof x === 'string') : [];
}

async function recordInitiatives(
  trx: Trx,
  submissionId: string,
  campaignId: string,
  agencyId: string | null,
  status: SubmissionStatus,
  initiatives: ParsedForm['initiatives'],
): Promise<void> {
  const active = status === 'active' && agencyId ? await activeInitiatives(trx, campaignId, agencyId) : [];
  const replacing = planReplacements(
    initiatives.map((i) => i.title),
    active,
  );
  const rows = initiatives.map((initiative, i) => ({
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
    status: status === 'active' ? ('active' as const) : ('pending_review' as const),
  }));
  // The earlier versions stop being active first: one active initiative per title is a database rule.
  for (const old of replacing.values()) await supersedeInitiative(trx, old.id);
  for (const row of await insertInitiatives(trx, rows)) {
    const old = replacing.get(row.position);
    if (old) await linkSuperseded(trx, old.id, row.id);
  }
  for (const oldSubmission of new Set([...replacing.values()].map((o) => o.submission_id))) {
    if (!(await hasActiveInitiatives(trx, oldSubmission)))
      await setSubmissionStatus(trx, oldSubmission, 'superseded');
    await setSubmissionSupersedes(trx, submissionId, oldSubmission);
  }
}

async function recordResults(
  trx: Trx,
  submissionId: string,
  campaignId: string,
  agencyId: string | null,
  results: ParsedForm['results'],
): Promise<number> {
  const registered = agencyId ? await activeInitiatives(trx, campaignId, agencyId) : [];
  let unmatched = 0;
  for (const [i, result] of results.entries()) {
    const match = bestTitleMatch(result.title, registered);
    if (!match) unmatched++;
    await insertResult(trx, {
      submission_id: submissionId,
      initiative_id: match?.match.id ?? null,
      position: i + 1,
      title: result.title,
      status: result.status,
      outcome: result.outcome,
      match_score: match?.score ?? null,
      needs_review: !match,
    });
  }
  return unmatched;
}
