import { initiativesWithAssessment } from '../../db/assessment.repository.js';
import {
  addressesOfAgency,
  agencyChoices,
  agencyWithAddresses,
  attachmentFile,
  attachmentsOfMessage,
  auditOfSubjects,
  heldSubmissionsOfMessages,
  initiativesOfAgency,
  initiativesOfSubmissions,
  latestSubmissions,
  linkCandidates,
  messageOfReference,
  messageRaw,
  messageSummary,
  openDismissals,
  resultsOfAgency,
  resultsOfSubmissions,
  submissionsOfAgency,
} from '../../db/console.repository.js';
import {
  correctionAuditOfFiles,
  correctionsOfInitiatives,
  readingsOfInitiatives,
} from '../../db/correction.repository.js';
import type { Database, Db } from '../../db/database.js';
import { forgeryVerdict } from '../../db/review.repository.js';
import { ASSESSMENT_VERDICT_LABEL } from '../../domain/assessment.js';
import { correctionRefusal } from '../../domain/corrections.js';
import { offerResend, replayRefusal } from '../../domain/follow-up.js';
import { INITIATIVE_FIELDS } from '../../domain/initiative-fields.js';
import {
  ACTION_LABEL,
  AGENCY_KIND_LABEL,
  ATTACHMENT_STATE_LABEL,
  INITIATIVE_STATUS_LABEL,
  labelOf,
  REJECTION_LABEL,
  RESULT_STATUS_LABEL,
  REVIEW_REASON_LABEL,
  SUBMISSION_STATUS_LABEL,
} from '../../domain/labels.js';
import { REMEMBER_RISK_TEXT, rememberRisks } from '../../domain/remember-address.js';
import { fold } from '../../domain/text.js';
import { formatMonth } from '../../domain/time.js';
import { headerBlock } from '../../mail/incoming-message.js';
import { messageText } from '../../mail/message-text.js';
import { addressesToCheck } from '../intake/bounces.js';
import { agencyStandingIn } from './campaign-standing.js';
import { type DocumentView, documentsOf } from './document-view.js';
import { itemsForReview } from './review.js';

// Read-only questions the staff console asks that no operation answers: each gathers rows from repositories
// into what a page shows. No rule of the office lives here (standing comes from ./standing.js).

export type { Database, Db };

const AUTH_VERDICT_LABEL: Record<string, string> = {
  pass: 'đạt (máy chủ thư của Sở xác nhận người gửi)',
  fail: 'không đạt (có thể giả mạo người gửi)',
  none: 'không có kết quả xác thực',
};

type InitiativeRow = Awaited<ReturnType<typeof initiativesOfAgency>>[number];

/** What the console shows beside an initiative's fields: the corrections in force and what the parser read. */
interface FieldNotes {
  corrections: Map<string, { id: string; corrected_by: string; corrected_at: Date }>;
  reading: Record<string, unknown> | null;
  /** The parser's doubtful paths for the initiative's file, such as "initiatives[0].timeline". */
  uncertain: string[];
  attachmentId: string | null;
  submissionStatus: string | null;
}

/** The field notes of these initiatives, by initiative id. */
async function fieldNotesOf(db: Db, ids: readonly string[]): Promise<(id: string) => FieldNotes> {
  const corrections = await correctionsOfInitiatives(db, ids);
  const readings = new Map((await readingsOfInitiatives(db, ids)).map((r) => [r.initiative_id, r]));
  return (id) => {
    const r = readings.get(id);
    const reading = r?.reading;
    return {
      corrections: new Map(corrections.filter((c) => c.initiative_id === id).map((c) => [c.field, c])),
      reading: reading && typeof reading === 'object' ? (reading as Record<string, unknown>) : null,
      uncertain: uncertainOf({ uncertain: r?.uncertain }),
      attachmentId: r?.attachment_id ?? null,
      submissionStatus: r?.submission_status ?? null,
    };
  };
}

/** A value the parser read, as a person reads it (a month as 7/2021); empty when it read none. */
function readingOf(reading: Record<string, unknown> | null, name: string, month: boolean): string {
  const v = reading?.[name];
  if (typeof v !== 'string' || v === '') return '';
  return month ? formatMonth(v) : v;
}

/**
 * An initiative as the console shows it: each field with its stable anchor, whether the parser was unsure of it
 * ("cần kiểm tra"), and a person's correction in force (who, when, and the parser's reading beside it); the
 * doubtful fields listed for the summary at the top of its place. `listedAbove`: the page lists them at the top of
 * the file's section instead.
 */
function initiativeView(i: InitiativeRow, notes: FieldNotes, listedAbove = false) {
  const at = i.position - 1;
  const whole = notes.uncertain.includes(`initiatives[${at}]`) || notes.uncertain.includes('initiatives');
  const doubtful = (field: string) => whole || notes.uncertain.includes(`initiatives[${at}].${field}`);
  const fields = INITIATIVE_FIELDS.map((f) => {
    const correction = notes.corrections.get(f.name);
    return {
      field: f.name,
      // Stable across a replay or a confirmation, which write the rows again: the file and the place in it.
      anchor: `field-${notes.attachmentId ?? i.id}-${i.position}-${f.name}`,
      // A month is shown and typed as people write it, 7/2021 (2021-07 is accepted too).
      label: 'month' in f ? `${f.label} (tháng/năm, ví dụ 7/2021)` : f.label,
      shortLabel: f.label,
      value: 'month' in f ? formatMonth(i[f.column] ?? '') : (i[f.column] ?? ''),
      long: f.long,
      uncertain: doubtful(f.name),
      corrected: correction
        ? {
            by: correction.corrected_by,
            at: correction.corrected_at,
            reading: readingOf(notes.reading, f.name, 'month' in f),
          }
        : null,
    };
  });
  const place = `Sáng kiến ${i.position}`;
  return {
    id: i.id,
    title: i.title,
    status: i.status,
    statusLabel: labelOf(INITIATIVE_STATUS_LABEL, i.status),
    active: i.status === 'active',
    withdrawn: i.status === 'withdrawn',
    // A counted or a held form's initiative may be corrected (the rule: correctionRefusal).
    correctable:
      correctionRefusal({ status: i.status, submissionStatus: notes.submissionStatus ?? '' }) === null,
    reference: i.reference,
    receivedAt: i.received_at,
    fields,
    doubts: fields
      .filter((f) => f.uncertain)
      .map((f) => ({
        anchor: f.anchor,
        label: f.shortLabel,
        text: `${place} – ${f.shortLabel}`,
        corrected: f.corrected !== null,
      })),
    doubtsListedAbove: listedAbove,
  };
}

/**
 * The form's text the reading does not account for, from a stored parse result, in words a clerk reads: where it
 * stands in the document ("Bảng 2, hàng 3, ô 4") and the field it was marked at ("Sáng kiến 1 – Sự cần thiết").
 */
export function unaccountedOf(parseResult: unknown): { text: string; at: string; field: string }[] {
  const u = (parseResult as { unaccounted?: unknown } | null)?.unaccounted;
  if (!Array.isArray(u)) return [];
  return u.flatMap((x) => {
    const { text, at, path } = (x ?? {}) as { text?: unknown; at?: unknown; path?: unknown };
    if (typeof text !== 'string' || typeof at !== 'string' || typeof path !== 'string') return [];
    return [{ text, at: placeInWords(at), field: pathInWords(path) }];
  });
}

function placeInWords(at: string): string {
  const t = /^table (\d+), row (\d+), cell (\d+)$/.exec(at);
  if (t) return `Bảng ${t[1]}, hàng ${t[2]}, ô ${t[3]}`;
  const p = /^paragraph (\d+)$/.exec(at);
  return p ? `Đoạn ${p[1]}` : at;
}

function pathInWords(path: string): string {
  const m = /^(initiatives|results)(?:\[(\d+)\])?(?:\.(\w+))?$/.exec(path);
  if (!m) return path;
  const item = m[1] === 'initiatives' ? 'Sáng kiến' : 'Kết quả';
  if (m[2] === undefined) return m[1] === 'initiatives' ? 'Danh sách sáng kiến' : 'Danh sách kết quả';
  const field = m[3]
    ? (FIELD_LABEL[m[3]] ??
      (m[3] === 'status' ? 'Kết quả thực hiện' : m[3] === 'outcome' ? 'Hiệu quả' : m[3]))
    : '';
  return `${item} ${Number(m[2]) + 1}${field ? ` – ${field}` : ''}`;
}

/** The paths the parser was unsure of, from a stored parse result (none for results stored before it said). */
function uncertainOf(parseResult: unknown): string[] {
  const u = (parseResult as { uncertain?: unknown } | null)?.uncertain;
  return Array.isArray(u) ? u.filter((x): x is string => typeof x === 'string') : [];
}

function reasonsText(reasons: readonly string[]): string {
  return reasons.map((r) => labelOf(REVIEW_REASON_LABEL, r)).join('; ');
}

const VIA_LABEL: Record<string, string> = { console: 'trang quản lý', cli: 'dòng lệnh', job: 'hệ thống' };

const FIELD_LABEL: Record<string, string> = Object.fromEntries(
  INITIATIVE_FIELDS.map((f) => [f.name, f.label]),
);

/** A stored value as a person reads it: a month as 7/2021. */
function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(trống)';
  return typeof v === 'string' ? formatMonth(v) : JSON.stringify(v);
}

/** What an entry of the history changed, in words (actions whose label says it all have none). */
function changesOf(
  action: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  agencyName: (code: unknown) => string,
): string[] {
  switch (action) {
    case 'correct_field':
    case 'restore_parser_reading':
    case 'undo_correction':
      // `place`: where the field stands in its file, not a change.
      return Object.keys(after)
        .filter((k) => k !== 'place')
        .map((k) => `${labelOf(FIELD_LABEL, k)}: ${shown(before[k])} → ${shown(after[k])}`);
    case 'confirm_submission':
      return [
        `cho đơn vị ${agencyName(after.agency)}${after.address_remembered ? `; ghi nhớ địa chỉ ${shown(after.address_remembered)}` : ''}`,
      ];
    case 'undo_confirm_submission':
      return after.address_forgotten
        ? [`bỏ địa chỉ ${shown(after.address_forgotten)} khỏi danh sách hộp thư của cơ quan, đơn vị`]
        : [];
    case 'count_as':
      return [
        `tính là: ${after.counts_as === 'supplement' ? 'bản bổ sung' : after.counts_as === 'revision' ? 'bản thay thế' : 'theo nội dung thư'}`,
      ];
    case 'link_result':
      return [`gắn với: ${shown(after.title)}`];
    case 'ask_resend':
      return [`gửi đến: ${shown(after.to)}`];
    default:
      return [];
  }
}

/**
 * The history of changes people made to these subjects, newest first, in words; with the corrections of these
 * files' fields, made on rows of the file a confirmation or a replay has written again since.
 */
async function historyOf(
  db: Db,
  subjects: readonly (readonly [string, string])[],
  files: readonly string[] = [],
) {
  const byId = new Map(
    [...(await auditOfSubjects(db, subjects)), ...(await correctionAuditOfFiles(db, files))].map((r) => [
      r.id,
      r,
    ]),
  );
  const rows = [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id)).slice(0, 200);
  // Staff read agencies by name, never by their code.
  const names = new Map((await agencyChoices(db)).map((a) => [a.code, a.name]));
  const agencyName = (code: unknown) => (typeof code === 'string' && names.get(code)) || shown(code);
  return rows.map((r) => {
    const before = (r.before ?? {}) as Record<string, unknown>;
    const after = (r.after ?? {}) as Record<string, unknown>;
    const changes = changesOf(r.action, before, after, agencyName);
    return {
      at: r.at,
      actor: r.actor,
      via: labelOf(VIA_LABEL, r.via),
      action: labelOf(ACTION_LABEL, r.action),
      changes,
      note: r.note,
    };
  });
}

/** Staff's assessment of an initiative's reported result, for its card; null while no result is reported. */
function assessmentView(a: Awaited<ReturnType<typeof initiativesWithAssessment>>[number] | undefined) {
  if (!a?.result) return null;
  return {
    resultLabel: labelOf(RESULT_STATUS_LABEL, a.result),
    verdict: a.verdict,
    verdictLabel: a.verdict ? labelOf(ASSESSMENT_VERDICT_LABEL, a.verdict) : null,
    note: a.assessment_note,
    by: a.assessed_by,
    at: a.assessed_at,
    choices: Object.entries(ASSESSMENT_VERDICT_LABEL).map(([value, label]) => ({
      value,
      label,
      selected: value === a.verdict,
    })),
  };
}

/** Everything the console shows about one agency in one campaign; undefined when no agency has the code. */
export async function agencyPage(db: Db, code: string, campaignId: string) {
  const agency = await agencyWithAddresses(db, code);
  if (!agency) return undefined;
  const addresses = await addressesOfAgency(db, agency.id);
  const [standing, submissions, initiatives, results] = [
    await agencyStandingIn(db, campaignId, agency.id),
    await submissionsOfAgency(db, agency.id, campaignId),
    await initiativesOfAgency(db, agency.id, campaignId),
    await resultsOfAgency(db, agency.id, campaignId),
  ];
  const notes = await fieldNotesOf(
    db,
    initiatives.map((i) => i.id),
  );
  const assessed = new Map(
    (await initiativesWithAssessment(db, campaignId))
      .filter((a) => a.agency_id === agency.id)
      .map((a) => [a.id, a]),
  );
  return {
    agency: { ...agency, kindLabel: AGENCY_KIND_LABEL[agency.kind] },
    addresses: addresses.map((a) => ({
      email: a.email,
      addedByStaff: a.source === 'staff',
      addedBy: a.added_by,
      addedAt: a.created_at,
      bouncedAt: a.bounced_at,
    })),
    standing,
    submissions: submissions.map((s) => ({
      ...s,
      statusLabel: labelOf(SUBMISSION_STATUS_LABEL, s.status),
      kindLabel: s.kind === 'results_report' ? 'Báo cáo kết quả' : 'Đăng ký sáng kiến',
      why: reasonsText(s.review_reasons),
      counted: s.status === 'active',
    })),
    activeInitiatives: initiatives
      .filter((i) => i.status === 'active')
      .map((i) => ({ ...initiativeView(i, notes(i.id)), assessment: assessmentView(assessed.get(i.id)) })),
    otherInitiatives: initiatives
      .filter((i) => i.status !== 'active')
      .map((i) => initiativeView(i, notes(i.id))),
    results: results.map((r) => ({ ...r, statusLabel: labelOf(RESULT_STATUS_LABEL, r.status) })),
    history: await historyOf(
      db,
      [
        ...submissions.map((x) => ['submission', x.reference] as const),
        ...initiatives.map((x) => ['initiative', x.id] as const),
        ...results.map((x) => ['result', x.id] as const),
        ...addresses.map((x) => ['agency_address', x.email] as const),
      ],
      submissions.map((x) => x.attachment_id),
    ),
  };
}

export interface MessageFile {
  id: string;
  /** The sender, and the risks of remembering the address (`rememberRisks`), in words, for the confirm form. */
  from: string | null;
  rememberRisks: string[];
  filename: string;
  size: number;
  state: string;
  stateLabel: string;
  reference: string | null;
  submissionStatus: string | null;
  submissionStatusLabel: string;
  why: string;
  agencyName: string | null;
  formAgencyName: string | null;
  formAgencyCode: string | null;
  late: boolean;
  /** Held for a person's confirmation. */
  held: boolean;
  /** Who confirmed it, and whether that confirmation added the sender's address to the registry. */
  confirmed: { by: string; at: Date; address: string | null } | null;
  /** A counted registration: whether it replaces the agency's earlier one, and who said so when not its mail. */
  counting: { replaces: boolean; personRule: 'revision' | 'supplement' | null } | null;
  /** Read before (or refused): the current parser may read it again. */
  canReplay: boolean;
  kind: string | null;
  document: DocumentView;
  /** Where each field's text stands in the document ("initiatives[0].title" → a link within the page). */
  sources: Map<string, string>;
  initiatives: ReturnType<typeof initiativeView>[];
  /** The fields of its initiatives the parser was unsure of, for the summary at the top of the file's section. */
  doubts: ReturnType<typeof initiativeView>['doubts'];
  /** Text of the form the reading does not account for, in words a clerk reads. */
  unaccounted: ReturnType<typeof unaccountedOf>;
  results: {
    id: string;
    title: string;
    statusLabel: string;
    outcome: string | null;
    initiativeTitle: string | null;
    needsReview: boolean;
    /** Where its title stands in the document shown beside it. */
    source: string | null;
  }[];
}

/** A counted registration: whether it replaced the agency's earlier one, and a person's rule on it if any. */
function countingOf(f: {
  parsed_kind: string | null;
  submission_status: string | null;
  counts_as: string | null;
  supersedes_id: string | null;
}): MessageFile['counting'] {
  if (f.parsed_kind !== 'registration') return null;
  if (f.submission_status !== 'active' && f.submission_status !== 'superseded') return null;
  const personRule = f.counts_as === 'revision' || f.counts_as === 'supplement' ? f.counts_as : null;
  return { replaces: f.supersedes_id !== null, personRule };
}

/**
 * Each field with a link to where its text stands in the document shown beside it (its months, to the
 * timeline they were worked out from); none where the parser did not say.
 */
function withSources<T extends { fields: { field: string }[] }>(
  view: T,
  position: number,
  sources: ReadonlyMap<string, string>,
): T & { fields: (T['fields'][number] & { source: string | null })[] } {
  const at = (field: string) => sources.get(`initiatives[${position - 1}].${field}`);
  return {
    ...view,
    fields: view.fields.map((f) => ({
      ...f,
      source: at(f.field) ?? (f.field === 'start' || f.field === 'end' ? at('timeline') : undefined) ?? null,
    })),
  };
}

/** One mail as received, with each file beside what was read from it; undefined when there is no such mail. */
export async function messagePage(db: Db, messageId: string) {
  if (!/^\d{1,18}$/.test(messageId)) return undefined;
  const message = await messageSummary(db, messageId);
  if (!message) return undefined;
  const raw = await messageRaw(db, messageId);
  const body = raw ? await messageText(raw).catch(() => '') : '';
  // As received, for whoever needs to see every header (Received, Authentication-Results…); shown as text.
  const headers = raw
    ? headerBlock(raw)
        .subarray(0, 64 * 1024)
        .toString('utf8')
        .trimEnd()
    : '';
  const files = await attachmentsOfMessage(db, messageId);
  const submissionIds = files.flatMap((f) => (f.submission_id ? [f.submission_id] : []));
  const initiatives = await initiativesOfSubmissions(db, submissionIds);
  const notes = await fieldNotesOf(
    db,
    initiatives.map((i) => i.id),
  );
  const results = await resultsOfSubmissions(db, submissionIds);
  const documents = await documentsOf(db, files);
  const out: MessageFile[] = [];
  for (const f of files) {
    const drawn = documents.get(f.id);
    const sources = drawn?.sources ?? new Map<string, string>();
    const read = initiatives
      .filter((i) => i.submission_id === f.submission_id)
      .map((i) => withSources(initiativeView(i, notes(i.id), true), i.position, sources));
    out.push({
      id: f.id,
      from: message.from_address,
      rememberRisks: risksInWords(message.from_address, message.auth_verdict),
      filename: f.filename,
      size: f.size,
      state: f.state,
      stateLabel:
        f.reason_code && (f.state === 'rejected' || f.state === 'failed' || f.state === 'skipped')
          ? `${labelOf(ATTACHMENT_STATE_LABEL, f.state)}: ${labelOf(REJECTION_LABEL, f.reason_code)}`
          : labelOf(ATTACHMENT_STATE_LABEL, f.state),
      reference: f.reference,
      submissionStatus: f.submission_status,
      submissionStatusLabel: labelOf(SUBMISSION_STATUS_LABEL, f.submission_status),
      why: reasonsText(f.submission_review_reasons ?? []),
      agencyName: f.agency_name,
      formAgencyName: f.form_agency_name,
      formAgencyCode: f.form_agency_code,
      late: f.late === true,
      held: f.submission_status === 'pending_review',
      confirmed:
        f.confirmed_by && f.confirmed_at
          ? { by: f.confirmed_by, at: f.confirmed_at, address: f.remembered_address }
          : null,
      counting: countingOf(f),
      canReplay: replayRefusal(f) === null,
      kind: f.parsed_kind,
      document: drawn?.document ?? { shown: false, why: 'Không còn tệp.' },
      sources,
      initiatives: read,
      doubts: read.flatMap((i) => i.doubts),
      unaccounted: unaccountedOf(f.parse_result),
      results: results
        .filter((r) => r.submission_id === f.submission_id)
        .map((r) => ({
          id: r.id,
          title: r.title,
          statusLabel: labelOf(RESULT_STATUS_LABEL, r.status),
          outcome: r.outcome,
          initiativeTitle: r.initiative_title,
          needsReview: r.needs_review,
          source: sources.get(`results[${r.position - 1}].title`) ?? null,
        })),
    });
  }
  const forgery = (await forgeryVerdict(db, messageId)) ?? null;
  return {
    message: {
      ...message,
      why: reasonsText([
        ...message.review_reasons,
        ...(message.reject_reason ? [message.reject_reason] : []),
      ]),
      held: message.state === 'needs_review',
      authLabel: labelOf(AUTH_VERDICT_LABEL, message.auth_verdict),
      // Offered where something did not count, not to a forger; askToResend also decides whether to write.
      askResend: offerResend({ state: message.state, files, forgery: forgery !== null }),
    },
    body,
    headers,
    files: out,
    agencies: out.some((f) => f.held) ? await agencyChoices(db) : [],
    // A person's verdict that the mail is a forgery (undone like a dismissal).
    forgery,
    history: await historyOf(
      db,
      [
        ['message', messageId],
        ...files.flatMap((f) => [
          ['file', f.id] as const,
          ['attachment', f.id] as const,
          ...(f.reference ? [['submission', f.reference] as const] : []),
        ]),
        ...initiatives.map((x) => ['initiative', x.id] as const),
        ...results.map((x) => ['result', x.id] as const),
      ],
      files.map((f) => f.id),
    ),
  };
}

/** A stored file to download, by attachment id. */
export async function fileForDownload(db: Db, attachmentId: string) {
  if (!/^\d{1,18}$/.test(attachmentId)) return undefined;
  const f = await attachmentFile(db, attachmentId);
  return f
    ? { filename: f.filename, contentType: f.content_type, bytes: f.bytes, messageId: f.message_id }
    : undefined;
}

/** The raw .eml of a stored mail. */
export async function rawMessage(db: Db, messageId: string): Promise<Buffer | undefined> {
  if (!/^\d{1,18}$/.test(messageId)) return undefined;
  return (await messageRaw(db, messageId)) ?? undefined;
}

/** Where a submission reference lives: its mail and file. */
export async function locateReference(db: Db, reference: string) {
  return messageOfReference(db, reference);
}

/** What remembering a sender's address would risk, as the confirm form says it. */
function risksInWords(address: string | null, authVerdict: string): string[] {
  return rememberRisks(address, authVerdict).map((r) => REMEMBER_RISK_TEXT[r]);
}

/** What waits for a person, each item with what its actions need: held files, link candidates, agencies. */
export async function reviewPage(db: Db) {
  const items = await itemsForReview(db);
  const messageIds = items.filter((i) => i.kind === 'message').map((i) => i.id);
  const resultIds = items.filter((i) => i.kind === 'result').map((i) => i.id);
  const held = await heldSubmissionsOfMessages(db, messageIds);
  const candidates = await linkCandidates(db, resultIds);
  const agencies = await agencyChoices(db);
  const dismissed = await openDismissals(db);
  const { bounced } = await addressesToCheck(db);
  return {
    agencies,
    bounced,
    dismissed: dismissed.map((d) => ({
      kind: d.item_kind,
      id: d.item_id,
      by: d.dismissed_by,
      at: d.dismissed_at,
      note: d.note,
      forgery: d.verdict === 'forgery',
      what: d.subject ?? d.filename ?? d.result_title ?? '',
      link:
        d.item_kind === 'message'
          ? `/messages/${d.item_id}`
          : d.file_message_id
            ? `/messages/${d.file_message_id}`
            : null,
    })),
    items: items.map((i) => ({
      ...i,
      held: held
        .filter((h) => i.kind === 'message' && h.message_id === i.id)
        .map((h) => ({
          ...h,
          from: h.from_address,
          rememberRisks: risksInWords(h.from_address, h.auth_verdict),
        })),
      candidates: i.kind === 'result' ? candidates.filter((c) => c.result_id === i.id) : [],
    })),
  };
}

/** The latest forms received in a campaign, for the overview. */
export async function recentSubmissions(db: Db, campaignId: string) {
  return (await latestSubmissions(db, campaignId)).map((s) => ({
    reference: s.reference,
    agency: s.agency_name ?? s.from_address ?? '',
    kindLabel: s.kind === 'results_report' ? 'Báo cáo kết quả' : 'Đăng ký sáng kiến',
    statusLabel: labelOf(SUBMISSION_STATUS_LABEL, s.status),
    counted: s.status === 'active',
    late: s.late,
    receivedAt: s.received_at,
    link: `/messages/${s.message_id}#file-${s.attachment_id}`,
  }));
}

/**
 * The agency code a person meant in the confirm picker: a code as the list offers it, or a name typed out in
 * full (with or without marks) when exactly one agency has it. Unknown input is passed on as typed, for the
 * operation to refuse.
 */
export async function agencyCodeFromInput(db: Db, typed: string): Promise<string> {
  const value = typed.trim();
  if (!value) return value;
  const agencies = await agencyChoices(db);
  if (agencies.some((a) => a.code === value)) return value;
  const wanted = fold(value);
  const named = agencies.filter((a) => fold(a.name) === wanted);
  return named.length === 1 && named[0] ? named[0].code : value;
}
