import type { Transaction } from 'kysely';
import type { Config } from '../../config.js';
import { setAttachmentOutcome } from '../../db/attachment.repository.js';
import type { Database, Db } from '../../db/database.js';
import { relinkResults } from '../../db/initiative.repository.js';
import { addMessageReviewReason } from '../../db/message.repository.js';
import { recordForm } from '../../db/recorded-form.repository.js';
import { keepTextDrawing, type TextDrawing } from '../../db/rendering.repository.js';
import type { DB } from '../../db/schema.js';
import {
  hasOtherSubmissionsInMessage,
  lockAgencyLedger,
  markCopy,
  sameContentSubmissions,
  setSubmissionReference,
  submissionState,
  takeBackRecordedParse,
} from '../../db/submission.repository.js';
import { toColumns } from '../../domain/initiative-fields.js';
import type { AuthVerdict, SubmissionStatus } from '../../domain/kinds.js';
import { arrivalOrder, originalOf } from '../../domain/ledger-plan.js';
import type { ReviewReason } from '../../domain/review-reasons.js';
import { isHeld, type SenderTrust, senderTrust } from '../../domain/review-reasons.js';
import { planSubmission } from '../../domain/submission-plan.js';
import { titleKey } from '../../domain/title-match.js';
import type { ParsedForm } from '../../parser/form-types.js';
import type { ParseOutcome } from '../../parser/parse-form.js';
import { reapplyCorrections } from '../decisions/correct-field.js';
import {
  agencyById,
  agencyIdsByCode,
  campaignFor,
  type ReferenceSource,
} from '../reference/reference-data.js';
import { lateness } from './lateness.js';
import { rebuildLedger } from './ledger.js';
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
  /** How many files the message has, when known: its only file has no sibling to be a copy of. */
  filesInMessage?: number;
  /** The agency a person confirmed the form for (file_decisions): it counts for it, whoever sent it. */
  confirmedAgencyId?: string | null;
  /**
   * The drawing of a text document the parse made (`drawingOf`), written by the statement that records its
   * reading: one round trip less per file, and never a recorded file without its drawing.
   */
  drawing?: TextDrawing | null;
}

/** A stored attachment and its message, as the parse, a replay or a confirmation read them. */
export interface StoredAttachment {
  id: string;
  message_id: string;
  sha256: string;
  sender_agency_id: string | null;
  received_at: Date;
  auth_verdict: AuthVerdict;
  /** What made the From doubtful when the mail was stored (messages.sender_doubt). */
  sender_doubt: string | null;
  subject: string | null;
  filename: string;
  uid: string;
  files_in_message?: string | number | null;
  confirmed_agency_id?: string | null;
}

/** What recording needs of a stored attachment: the sender's trust from its verdict, a person's decision kept. */
export function recordingContext(a: StoredAttachment, config: Config): AttachmentContext {
  return {
    id: a.id,
    messageId: a.message_id,
    sha256: a.sha256,
    senderAgencyId: a.sender_agency_id,
    receivedAt: a.received_at,
    authVerdict: a.auth_verdict,
    trust: senderTrust(a.auth_verdict, config, a.sender_doubt),
    subject: a.subject,
    filename: a.filename,
    uid: a.uid,
    filesInMessage: a.files_in_message == null ? undefined : Number(a.files_in_message),
    confirmedAgencyId: a.confirmed_agency_id ?? null,
  };
}

export interface RecordedOutcome {
  state: 'parsed' | 'rejected';
  submissionId: string | null;
  status: SubmissionStatus | null;
  reviewReasons: ReviewReason[];
}

type Trx = Transaction<DB>;

/**
 * Write what the parser understood, atomically: the attachment's terminal state and, for a form, the submission
 * with its initiatives or results, and the agency's registry rebuilt (rules: `planSubmission`, `planLedger`,
 * README "What counts"). One transaction; one statement alone for a held form that is its message's only file.
 */
export async function recordParseResult(
  db: Database,
  attachment: AttachmentContext,
  outcome: ParseOutcome,
  parseMs: number | null = null,
): Promise<RecordedOutcome> {
  let ready: PreparedForm | null = null;
  if (outcome.ok && outcome.form.kind !== 'not_a_form' && attachment.filesInMessage === 1) {
    // A held form that is its message's only file changes nothing counted and has no sibling to be a copy of:
    // it is written as the ledger would leave it, in one statement, without a transaction around it.
    ready = await prepareForm({ db }, attachment, withoutNulDeep(outcome.form));
    if (ready?.plan.status === 'pending_review') return writeForm(db, attachment, ready, parseMs);
  }
  return db.transaction().execute((trx) => recordIn(db, trx, attachment, outcome, parseMs, true, ready));
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
  prepared: PreparedForm | null = null,
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
  // Cleaned once: a form prepared before the transaction was cleaned then.
  const form = prepared?.form ?? withoutNulDeep(outcome.form);
  if (form.kind === 'not_a_form') {
    await keepDrawing(trx, attachment);
    await setAttachmentOutcome(trx, attachment.id, parsedOutcome(form, parseMs));
    return { state: 'parsed', submissionId: null, status: null, reviewReasons: [], ...none };
  }

  const ready = prepared ?? (await prepareForm({ db, trx }, attachment, form));
  if (!ready) {
    // Nothing can count without a campaign: the message waits for a person, who loads one and replays it.
    await setAttachmentOutcome(trx, attachment.id, parsedOutcome(form, parseMs));
    await addMessageReviewReason(trx, attachment.messageId, 'no_campaign');
    return { state: 'parsed', submissionId: null, status: null, reviewReasons: ['no_campaign'], ...none };
  }
  const { campaign, plan, hash } = ready;
  const { agencyId, status } = plan;
  const recorded = await writeForm(trx, attachment, ready, parseMs);
  if (!rebuild) return recorded;
  // A held form counts nothing and changes nothing counted: it was written as the ledger would leave it, unless
  // another held form of the same mail could be its copy.
  if (status === 'pending_review') {
    if (!agencyId || attachment.filesInMessage === 1) return recorded;
    // Under the ledger's lock, so that two files of one mail recorded at once see each other.
    await lockAgencyLedger(trx, campaign.id, agencyId);
    if (!(await hasOtherSubmissionsInMessage(trx, attachment.messageId, recorded.submissionId)))
      return recorded;
  }
  // A copy of a form counted from an earlier mail changes nothing else: it is marked as such without rebuilding
  // the agency's registry (what the rebuild would conclude, at a fraction of the cost when copies pile up).
  if (status === 'active' && agencyId && attachment.uid) {
    await lockAgencyLedger(trx, campaign.id, agencyId);
    const others = await sameContentSubmissions(trx, {
      campaignId: campaign.id,
      agencyId,
      kind: form.kind,
      contentHash: hash,
      submissionId: recorded.submissionId,
    });
    // Known before its file's details are read: only a file of an earlier mail can be its original here.
    const mail = { receivedAt: attachment.receivedAt, uid: attachment.uid };
    const original = originalOf(
      {
        id: recorded.submissionId,
        kind: form.kind,
        held: false,
        messageId: attachment.messageId,
        order: arrivalOrder(mail),
        contentHash: hash,
      },
      others.map((o) => ({
        id: o.id,
        kind: form.kind,
        held: isHeld(o.review_reasons),
        messageId: o.message_id,
        order: arrivalOrder({ receivedAt: o.received_at, uid: o.uid }),
        contentHash: hash,
      })),
    );
    if (original) {
      await markCopy(trx, recorded.submissionId, original.id);
      return { ...recorded, status: 'duplicate' };
    }
  }
  return settle(trx, recorded);
}

/** The file's drawing, where no statement that records a form writes it. */
async function keepDrawing(trx: Trx, attachment: AttachmentContext): Promise<void> {
  if (attachment.drawing) await keepTextDrawing(trx, attachment.id, attachment.drawing);
}

/** The fields the parser says it is unsure of (absent from results recorded before it said so). */
function uncertainOf(form: ParsedForm): readonly string[] {
  const u = (form as { uncertain?: unknown }).uncertain;
  return Array.isArray(u) ? u.filter((x): x is string => typeof x === 'string') : [];
}

const parsedOutcome = (form: ParsedForm, parseMs: number | null) => ({
  state: 'parsed' as const,
  parsed_kind: form.kind,
  parse_result: form,
  parse_ms: parseMs,
});

/** What recording a form decides before it writes: its campaign, its plan, its content's hash, its lateness. */
interface PreparedForm {
  form: ParsedForm;
  campaign: NonNullable<Awaited<ReturnType<typeof campaignFor>>>;
  plan: ReturnType<typeof planSubmission>;
  hash: string;
  late: boolean;
}

/** Decide how a form is recorded (reads only); null when no campaign takes it. */
async function prepareForm(
  source: ReferenceSource,
  attachment: AttachmentContext,
  form: ParsedForm,
): Promise<PreparedForm | null> {
  const campaign = await campaignFor(source, form.year, attachment.receivedAt);
  if (!campaign) return null;
  const idByCode = await agencyIdsByCode(source);
  const formAgencyId = form.agency_code ? (idByCode.get(form.agency_code) ?? null) : null;
  const formAgency = formAgencyId ? await agencyById(source, formAgencyId) : undefined;
  const plan = planSubmission({
    senderAgencyId: attachment.senderAgencyId,
    formAgencyId,
    formAgencyParentId: formAgency?.parent_id ?? null,
    trust: attachment.trust,
    uncertain: uncertainOf(form),
    confirmedAgencyId: attachment.confirmedAgencyId,
  });
  // After its deadline (the agency's own, the campaign's working days): it counts all the same, marked late.
  const late = await lateness(
    source.trx ?? source.db,
    campaign,
    plan.agencyId,
    form.kind as 'registration' | 'results_report',
    attachment.receivedAt,
  );
  return { form, campaign, plan, hash: contentHash(form), late };
}

/**
 * Write a prepared form: the attachment's outcome, the submission, and the rows as the parser read them —
 * which of them count, replace or link is the ledger's to say.
 */
async function writeForm(
  db: Db,
  attachment: AttachmentContext,
  { form, campaign, plan, hash, late }: PreparedForm,
  parseMs: number | null,
): Promise<Recorded & { submissionId: string }> {
  const submission = await recordForm(db, {
    submission: {
      campaign_id: campaign.id,
      agency_id: plan.agencyId,
      attachment_id: attachment.id,
      kind: form.kind as 'registration' | 'results_report',
      form_agency_code: form.agency_code,
      form_agency_name: form.agency_name,
      form_year: form.year,
      status: plan.status,
      review_reasons: plan.reviewReasons,
      warnings: form.warnings,
      received_at: attachment.receivedAt,
      content_hash: hash,
      late,
      revision_hint: revisionHint([attachment.subject, attachment.filename, form.title]),
    },
    parseResult: form,
    parseMs,
    drawing: attachment.drawing ?? null,
    referencePrefix: `CCHC-${campaign.year}`,
    initiatives:
      form.kind === 'registration'
        ? form.initiatives.map((initiative, i) => ({
            position: i + 1,
            title_key: titleKey(initiative.title),
            ...toColumns(initiative),
          }))
        : [],
    // Not active yet: the active-title index must never see two at once; the ledger activates.
    initiativeStatus: plan.status === 'active' ? 'superseded' : 'pending_review',
    results:
      form.kind === 'results_report'
        ? form.results.map((r, i) => ({
            position: i + 1,
            title: r.title,
            status: r.status,
            outcome: r.outcome,
          }))
        : [],
  });
  return {
    state: 'parsed',
    submissionId: submission.id,
    status: plan.status,
    reviewReasons: plan.reviewReasons,
    campaignId: campaign.id,
    agencyId: plan.agencyId,
  };
}

/** The form with every NUL taken out of its text: PostgreSQL stores none, in text or in jsonb. */
function withoutNulDeep<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(withoutNulDeep) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNulDeep(v)])) as T;
  return value;
}
