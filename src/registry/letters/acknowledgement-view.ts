import {
  columnOf,
  EXPECTED_PARTS,
  EXPECTED_WHOLE,
  INITIATIVE_FIELDS,
  type InitiativeColumns,
} from '../../domain/initiative-fields.js';
import type { ResultStatus, SubmissionStatus } from '../../domain/kinds.js';
import { RESULT_STATUS_LABEL, REVIEW_REASON_NOTE } from '../../domain/labels.js';
import { isReviewReason, type ReviewReason } from '../../domain/review-reasons.js';
import { formatSize } from '../../domain/text.js';
import { formatDate, formatDayInWords, formatMomentInWords, twoDigits } from '../../domain/time.js';

/** One file of the message, with what became of it. */
export interface AckFile {
  /** Its place in the mail: "2", or "2.1" for a file taken out of file 2 (an archive, a forwarded mail). */
  part?: string;
  filename: string;
  content_type?: string;
  state: string;
  reason_code: string | null;
  warnings: string[] | null;
  submission: {
    kind: 'registration' | 'results_report';
    status: SubmissionStatus;
    reference: string;
    review_reasons: string[];
    supersedes_id: string | null;
    /** Received after the agency's deadline (it still counts). */
    late?: boolean;
    initiatives: AckInitiative[];
    results: { title: string; status: ResultStatus; needs_review: boolean }[];
    /** A copy: the reference of the submission it repeats (the sender was given that one). */
    originalReference?: string | null;
    /** What a registration changed in the agency's registry, by title. */
    changes?: RegistrationChanges | null;
  } | null;
}

/** An initiative as it was read: the acknowledgement's receipt (Phiếu tiếp nhận) repeats every field. */
type AckInitiative = Pick<InitiativeColumns, 'title' | 'timeline'> & Partial<InitiativeColumns>;

// The receipt's rows, in the form's order, with the form's own labels: every field the form writes but the title
// (the row's heading).
const RECEIPT_FIELDS = INITIATIVE_FIELDS.filter((f) => f.name !== 'title' && !('month' in f));

export interface RegistrationChanges {
  replaced: { old: string; new: string }[];
  dropped: string[];
  kept: string[];
}

interface AckStanding {
  agencyName: string;
  year: number;
  registered: number;
  required: number;
  shortBy: number;
  met: boolean;
  /** YYYY-MM-DD */
  deadline: string;
}

/** What every mail written back about a message knows of it: the office, the message, its files. */
export interface MessageFacts {
  office: string;
  inboxAddress: string;
  zone: string;
  receivedAt: Date;
  subject: string | null;
  rawSize: number;
  /** Why the whole message was refused (`too_large`), if it was. */
  rejectReason: string | null;
  maxMessageBytes: number;
  senderAgencyName: string | null;
  files: readonly AckFile[];
  /** A stranger is told only what happened to the files: no subject, file names, titles or agency repeated. */
  minimal: boolean;
}

export interface AckViewInput extends MessageFacts {
  standing: AckStanding | null;
  /** The last on-time day (YYYY-MM-DD) of each kind of form for the sender's agency, for a late form's note. */
  dueDays?: { registration: string; results_report: string } | null;
  /** After the registration deadline: a mail without a form is asked for the results report. */
  resultsSeason?: boolean;
  /** What the sender is told for each reason a file was refused or skipped. */
  advice: Readonly<Record<string, string>>;
}

export type AckOutcome =
  | 'registration'
  | 'results'
  | 'duplicate'
  | 'not_a_form'
  | 'scanned'
  | 'rejected'
  | 'failed'
  | 'skipped';

/** What a file's row says happened to it, as the acknowledgement tells it. */
export function fileOutcome(f: AckFile): AckOutcome {
  if (f.state === 'rejected') return 'rejected';
  if (f.state === 'failed') return 'failed';
  if (f.state === 'skipped') return 'skipped';
  if (f.submission?.status === 'duplicate') return 'duplicate';
  if (f.submission?.kind === 'registration') return 'registration';
  if (f.submission?.kind === 'results_report') return 'results';
  if ((f.warnings ?? []).includes('scanned')) return 'scanned';
  return 'not_a_form';
}

/**
 * What the sender is told of a form that came after its deadline: it is recorded and counts all the same (the
 * campaign's document does not exclude late forms). Only a form that counts now is said to count.
 */
function lateNote(
  s: NonNullable<AckFile['submission']>,
  dueDays: { registration: string; results_report: string } | null,
  zone: string,
): string | null {
  if (!s.late || s.status !== 'active') return null;
  const what = s.kind === 'registration' ? 'Biểu đăng ký' : 'Báo cáo kết quả';
  const due = dueDays ? ` (hạn cuối: hết ngày ${formatDate(dueDays[s.kind], zone)})` : '';
  const counts = s.kind === 'registration' ? 'và tính vào số lượng đăng ký' : 'và tổng hợp';
  return `${what} được nhận sau thời hạn${due}; Phòng CCHC vẫn ghi nhận ${counts}.`;
}

const MAX_UNREAD_LISTED = 3;

/** A zip archive whose files were taken out at intake and stored after it (it is not read itself). */
const isOpenedArchive = (f: AckFile) =>
  f.state === 'skipped' && !f.reason_code && f.content_type === 'application/zip';

// What the sender of a workbook that holds no form is told to do with it.
const SPREADSHEET_ADVICE =
  'Nếu đây là Biểu đăng ký lập bằng Excel, đề nghị để mỗi sáng kiến một dòng dưới một dòng tiêu đề cột (Tên sáng kiến, Nội dung tóm tắt, Thời gian thực hiện, Đơn vị chủ trì…) và gửi lại, hoặc gửi Biểu đăng ký bằng tệp Word (.docx).';

const hasChanges = (c: RegistrationChanges) => c.replaced.length + c.dropped.length + c.kept.length > 0;

/** The acknowledgement's view model: what the templates show, computed from what happened. Pure. */
export function acknowledgementView(input: AckViewInput) {
  const byPart = new Map(input.files.map((f) => [f.part, f]));
  const files = input.files.map((a, n) => {
    const outcome = fileOutcome(a);
    // A file taken out of a zip archive is named with it: "tệp … trong tệp nén …".
    const parent = a.part?.includes('.') ? byPart.get(a.part.slice(0, a.part.lastIndexOf('.'))) : undefined;
    const archive = parent && isOpenedArchive(parent) && !input.minimal ? parent.filename : null;
    const s = a.submission;
    const pendingReview =
      s?.review_reasons
        .filter(isReviewReason)
        .map((r: ReviewReason) => REVIEW_REASON_NOTE[r])
        .find(Boolean) ?? null;
    return {
      scanAlone: false,
      filename: input.minimal ? `Tệp đính kèm thứ ${n + 1}` : a.filename,
      archive,
      openedArchive: isOpenedArchive(a),
      // A copy is known by its original's reference: that is the one the sender was given.
      reference: (outcome === 'duplicate' ? s?.originalReference : null) ?? s?.reference ?? null,
      pendingReview,
      changes:
        !input.minimal && outcome === 'registration' && s?.changes && hasChanges(s.changes)
          ? {
              ...s.changes,
              // The same title again: the initiative was updated, not replaced by another.
              replaced: s.changes.replaced.map((r) => ({ ...r, same: r.old === r.new })),
            }
          : null,
      lateNote: s && !input.minimal ? lateNote(s, input.dueDays ?? null, input.zone) : null,
      outcome,
      advice:
        outcome === 'rejected' || outcome === 'skipped'
          ? (input.advice[a.reason_code ?? ''] ?? '')
          : outcome === 'not_a_form' && (a.warnings ?? []).includes('spreadsheet_not_a_form')
            ? SPREADSHEET_ADVICE
            : '',
      initiativeCount: twoDigits(s?.initiatives.length ?? 0),
      initiatives: input.minimal ? [] : (s?.initiatives ?? []).map(receipt),
      results: input.minimal
        ? []
        : (s?.results ?? []).map((r) => ({
            title: r.title,
            status: RESULT_STATUS_LABEL[r.status],
            unmatched: r.needs_review,
          })),
    };
  });
  // Files left unread over a limit (a mail with hundreds of files): a few by name, the rest counted.
  const rest = new Set(files.filter((f) => f.outcome === 'skipped' && f.advice).slice(MAX_UNREAD_LISTED));
  const [firstOfRest] = rest;
  if (firstOfRest) {
    const at = files.indexOf(firstOfRest);
    const kept = files.filter((f) => !rest.has(f));
    kept.splice(at, 0, { ...firstOfRest, filename: `Và ${rest.size} tệp khác` });
    files.splice(0, files.length, ...kept);
  }
  const read = files.filter((f) => f.outcome === 'registration' || f.outcome === 'results');
  const anyForm = read.length > 0 || files.some((f) => f.outcome === 'duplicate');
  const anyRejected = files.some((f) => f.outcome === 'rejected');
  const anyFailed = files.some((f) => f.outcome === 'failed');
  // A scan next to a Word form is the signed copy; a scan alone still lacks the form. A file that failed on our
  // side is not the sender's to send again: staff look at it, the mail is not said to lack a form.
  const missingForm = files.length > 0 && !anyForm && !anyRejected && !anyFailed;
  for (const f of files) if (f.outcome === 'scanned') f.scanAlone = !anyForm;
  const tooLarge = input.rejectReason === 'too_large';
  const firstForm = read[0];
  const season = input.resultsSeason ? 'results' : 'registration';
  const formName =
    (firstForm?.outcome ?? (season === 'results' ? 'results' : 'registration')) === 'results'
      ? 'Báo cáo kết quả thực hiện sáng kiến CCHC'
      : 'Biểu đăng ký sáng kiến CCHC';
  const agencyName = input.minimal ? null : input.senderAgencyName;
  const reference = firstForm?.reference ?? files.find((f) => f.outcome === 'duplicate')?.reference ?? null;
  const subject = [
    tooLarge
      ? 'Thư vượt quá dung lượng cho phép, chưa được xử lý'
      : read.length > 0
        ? `Đã tiếp nhận ${formName}${reference ? ` – số tiếp nhận ${reference}` : ''}`
        : anyForm
          ? `${formName} đã được tiếp nhận trước đó${reference ? ` – số tiếp nhận ${reference}` : ''}`
          : anyFailed
            ? 'Đã nhận thư – Phòng CCHC đang kiểm tra tệp gửi kèm'
            : files.length === 0
              ? `Chưa nhận được tệp gửi kèm – đề nghị gửi ${formName}`
              : `Chưa đọc được tệp gửi kèm – đề nghị gửi lại ${formName}`,
    agencyName,
  ]
    .filter(Boolean)
    .join(' – ');
  const standing =
    input.standing && !input.minimal
      ? {
          agencyName: input.standing.agencyName,
          registered: twoDigits(input.standing.registered),
          required: twoDigits(input.standing.required),
          shortBy: twoDigits(input.standing.shortBy),
          met: input.standing.met,
          deadline: formatDayInWords(input.standing.deadline, input.zone),
        }
      : null;
  return {
    subject,
    tooLarge,
    size: formatSize(input.rawSize),
    limit: formatSize(input.maxMessageBytes),
    office: input.office,
    heading: read.length > 0 || anyForm ? 'Xác nhận đã tiếp nhận hồ sơ' : 'Thông báo về hồ sơ gửi đến',
    agencyName,
    receivedAt: formatMomentInWords(input.receivedAt, input.zone),
    subjectLine: input.minimal ? null : input.subject,
    noAttachment: files.length === 0 && !tooLarge,
    missingForm,
    formName,
    documentName: formName,
    reference,
    files,
    /** The receipt: every field read, so a misread one is seen before the report goes out. */
    receipt: !input.minimal && files.some((f) => f.outcome === 'registration' && f.initiatives.length > 0),
    standing,
    inboxAddress: input.inboxAddress,
  };
}

/** One initiative for the receipt: its title and each field the form gave, with the form's label. */
function receipt(i: AckInitiative) {
  // A form that gives its expected results in their parts is shown split, once.
  const split = EXPECTED_PARTS.some((p) => Boolean(i[columnOf(p)]));
  return {
    title: i.title,
    timeline: i.timeline,
    fields: RECEIPT_FIELDS.flatMap(({ column: key, label }) => {
      const value = i[key];
      if (key === EXPECTED_WHOLE && split) return [];
      return typeof value === 'string' && value.trim()
        ? // The text part indents a value's further lines under its label.
          [{ label, value, valueText: value.trim().replace(/\s*\n\s*/g, '\n       ') }]
        : [];
    }),
  };
}

export type AcknowledgementView = ReturnType<typeof acknowledgementView>;
