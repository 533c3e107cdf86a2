import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { relinkResults, undoParse } from '../db/replay.repository.js';
import type { DB } from '../db/schema.js';
import {
  activeInitiatives,
  addSubmissionReviewReason,
  findSameFileSubmission,
  hasActiveInitiatives,
  insertInitiatives,
  insertResult,
  insertSubmission,
  linkSuperseded,
  setAttachmentOutcome,
  setSubmissionStatus,
  setSubmissionSupersedes,
  supersedeInitiative,
} from '../db/submission.repository.js';
import type { SubmissionStatus } from '../domain/kinds.js';
import { bestTitleMatch, titleKey } from '../domain/title-match.js';
import type { ParseOutcome } from '../parser/parse-form.js';
import { campaignFor } from './reference-data.js';

export interface AttachmentContext {
  id: string;
  sha256: string;
  senderAgencyId: string | null;
  receivedAt: Date;
  authVerdict: 'pass' | 'fail' | 'none';
}

export interface RecordedOutcome {
  state: 'parsed' | 'rejected';
  submissionId: string | null;
  status: SubmissionStatus | null;
  reviewReasons: string[];
}

/**
 * Write what the parser understood, in one transaction: the attachment's terminal state and, for a form, the
 * submission with its initiatives or results. The rules (README, "Sender, agency and re-submissions"):
 * - the agency is the sender's, from the registry's addresses; an unknown sender, a header naming another
 *   agency, or a failed authentication check keeps the submission for staff review, counting nothing;
 * - the same file already submitted by the same agency adds nothing (a duplicate);
 * - an initiative whose title matches one the agency registered before replaces it (the old one is kept,
 *   superseded); a submission all of whose initiatives were replaced is superseded;
 * - a result is linked to the registered initiative with the closest title, or kept and flagged.
 */
export async function recordParseResult(
  db: Database,
  attachment: AttachmentContext,
  outcome: ParseOutcome,
  agencyIdByCode: ReadonlyMap<string, string>,
  parseMs: number | null = null,
): Promise<RecordedOutcome> {
  return db.transaction().execute(async (trx) => {
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

    const campaign = await campaignFor(db, form.year, attachment.receivedAt);
    if (!campaign)
      return { state: 'parsed', submissionId: null, status: null, reviewReasons: ['no_campaign'] };

    const formAgencyId = form.agency_code ? (agencyIdByCode.get(form.agency_code) ?? null) : null;
    const reviewReasons: string[] = [];
    let agencyId = attachment.senderAgencyId;
    if (!agencyId) {
      reviewReasons.push('unknown_sender');
      agencyId = formAgencyId;
    } else if (formAgencyId && formAgencyId !== agencyId) reviewReasons.push('agency_mismatch');
    if (attachment.authVerdict === 'fail') reviewReasons.push('spoofing');

    let status: SubmissionStatus = reviewReasons.length > 0 ? 'pending_review' : 'active';
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
    if (status === 'duplicate')
      return { state: 'parsed', submissionId: submission.id, status, reviewReasons };

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
  });
}

async function recordInitiatives(
  trx: Transaction<DB>,
  submissionId: string,
  campaignId: string,
  agencyId: string | null,
  status: SubmissionStatus,
  initiatives: NonNullable<Extract<ParseOutcome, { ok: true }>['form']>['initiatives'],
): Promise<void> {
  const active = status === 'active' && agencyId ? await activeInitiatives(trx, campaignId, agencyId) : [];
  const replacedSubmissions = new Set<string>();
  const replacing = new Map<number, string>(); // position → the earlier initiative it replaces
  const rows = initiatives.map((initiative, i) => {
    const previous = status === 'active' ? bestTitleMatch(initiative.title, active) : null;
    if (previous) {
      replacing.set(i + 1, previous.match.id);
      replacedSubmissions.add(previous.match.submission_id);
      active.splice(active.indexOf(previous.match), 1);
    }
    return {
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
    };
  });
  // The earlier versions stop being active first: one active initiative per title is a database rule.
  for (const oldId of replacing.values()) await supersedeInitiative(trx, oldId);
  for (const row of await insertInitiatives(trx, rows)) {
    const oldId = replacing.get(row.position);
    if (oldId) await linkSuperseded(trx, oldId, row.id);
  }
  for (const old of replacedSubmissions) {
    if (!(await hasActiveInitiatives(trx, old))) await setSubmissionStatus(trx, old, 'superseded');
    await setSubmissionSupersedes(trx, submissionId, old);
  }
}

async function recordResults(
  trx: Transaction<DB>,
  submissionId: string,
  campaignId: string,
  agencyId: string | null,
  results: NonNullable<Extract<ParseOutcome, { ok: true }>['form']>['results'],
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

/**
 * Record an attachment's parse again (a replay after a parser fix, a confirmation by staff): what it recorded
 * before is taken back, the new outcome recorded, and results reported later are linked to the new rows.
 */
export async function reRecordParseResult(
  db: Database,
  attachment: AttachmentContext,
  outcome: ParseOutcome,
  agencyIdByCode: ReadonlyMap<string, string>,
): Promise<RecordedOutcome> {
  const orphans = await db.transaction().execute((trx) => undoParse(trx, attachment.id));
  const recorded = await recordParseResult(db, attachment, outcome, agencyIdByCode);
  await relinkResults(db, attachment.id, orphans);
  return recorded;
}
