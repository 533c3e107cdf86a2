import { type DueWords, dueWords } from '../../domain/deadlines.js';
import {
  columnOf,
  EXPECTED_PARTS,
  EXPECTED_WHOLE,
  INITIATIVE_FIELDS,
  type InitiativeColumns,
} from '../../domain/initiative-fields.js';
import type { ResultStatus, SubmissionStatus } from '../../domain/kinds.js';
import { officeInSentence, RESULT_STATUS_LABEL, REVIEW_REASON_NOTE } from '../../domain/labels.js';
import { isReviewReason, type ReviewReason } from '../../domain/review-reasons.js';
import { formatSize } from '../../domain/text.js';
import { formatDate, formatMomentInWords, localDay, twoDigits } from '../../domain/time.js';

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
    /** The agency the form names (an agency mismatch names both). */
    formAgencyName?: string | null;
    /** The receipt a revision replaces. */
    replaces?: { reference: string; receivedAt: Date | string | null } | null;
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
  /** The agency's registration deadline as announced (YYYY-MM-DD) and its last on-time day (`agencyDue`). */
  due: { deadline: string; lastDay: string };
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
  /** A stranger is told only what happened to the files it sent: no subject, titles or agency repeated. */
  minimal: boolean;
  /** Whom the agency may call (the campaign's contact: name and phone), if anyone. */
  contact: string | null;
}

export interface AckViewInput extends MessageFacts {
  standing: AckStanding | null;
  /** The sender's agency's deadline (as announced, YYYY-MM-DD) of each kind of form, for a late form's note. */
  deadlines?: { registration: string; results_report: string } | null;
  /** A results report's agency: its registered initiatives that still have no reported result, by title. */
  stillUnreported?: readonly string[];
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
 * campaign's document does not exclude late forms). Only a form that counts now is said to count; the deadline
 * is the one announced, never the working day a day off moved it to.
 */
function lateNote(
  s: NonNullable<AckFile['submission']>,
  deadlines: { registration: string; results_report: string } | null,
): string | null {
  if (!s.late || s.status !== 'active') return null;
  const what = s.kind === 'registration' ? 'Biểu đăng ký' : 'Báo cáo kết quả';
  const due = deadlines ? ` (thời hạn: chậm nhất ngày ${formatDate(deadlines[s.kind])})` : '';
  const counts = s.kind === 'registration' ? 'và tính vào số lượng đăng ký' : 'và tổng hợp';
  return `${what} được gửi sau hạn${due}; Phòng CCHC vẫn tiếp nhận ${counts}.`;
}

/**
 * Why a held form does not count yet, and what the sender can do: for a stranger, send from the agency's
 * registered mailbox or call the office; for a mismatch, both agencies named.
 */
function heldNote(
  s: NonNullable<AckFile['submission']>,
  senderAgencyName: string | null,
  contact: string | null,
): string | null {
  const reasons = s.review_reasons.filter(isReviewReason);
  if (s.status !== 'pending_review' && reasons.length === 0) return null;
  // The contact itself is at the foot of every mail.
  const call = contact ? ' theo thông tin liên hệ ở cuối thư' : '';
  if (reasons.includes('unknown_sender'))
    return `Thư được gửi từ địa chỉ thư điện tử chưa có trong danh sách hộp thư của các cơ quan, đơn vị, nên nội dung chưa được tính. Đề nghị Quý cơ quan gửi lại từ hộp thư điện tử công vụ của cơ quan, đơn vị đã đăng ký với Sở Nội vụ, hoặc liên hệ Phòng CCHC${call} để được xác nhận.`;
  if (reasons.includes('agency_mismatch') && s.formAgencyName && senderAgencyName)
    return `Biểu ghi tên cơ quan là ${s.formAgencyName}, khác với cơ quan gửi thư (${senderAgencyName}); nội dung chưa được tính cho đến khi Phòng CCHC kiểm tra, xác nhận. Nếu Quý cơ quan gửi thay cho ${s.formAgencyName}, đề nghị liên hệ Phòng CCHC${call}.`;
  return reasons.map((r: ReviewReason) => REVIEW_REASON_NOTE[r]).find(Boolean) ?? null;
}

// An Outlook mail sent in Rich Text wraps its files in a winmail.dat that could not be opened.
const WINMAIL = /^winmail\.dat$/i;
const WINMAIL_ADVICE =
  'Đây là tệp winmail.dat do Outlook tạo khi gửi thư ở định dạng Rich Text (RTF), không mở được. Đề nghị trong Outlook chọn định dạng thư HTML (khi soạn thư: Định dạng văn bản (Format Text) > HTML), đính kèm lại tệp Word và gửi lại.';

const MAX_UNREAD_LISTED = 3;

/**
 * A refused file's line is its advice alone: each says that the file was not read and why, then the step to follow
 * (REJECTION_ADVICE). A reason without advice of its own gets this one.
 */
export const REFUSED_DEFAULT =
  'Phòng CCHC không đọc được tệp này. Đề nghị lưu lại thành tệp Word (.docx) theo mẫu và gửi lại.';

/**
 * A file as a stranger's answer names it: by the name it gave it, so the sender knows which file was which; but a
 * name that carries a link or an address, or runs long, is not reflected to an address nobody has verified (a
 * forged sender would make the office repeat it to someone else): the file's place and type stand for it.
 */
export function strangerFileName(filename: string, n: number): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(filename)?.[1];
  const plain =
    filename.length <= 80 &&
    !/:\/\/|www\.|@|\.(?:com|net|org|vn|info|xyz|top)\b/i.test(filename.replace(/\.[a-z0-9]{1,5}$/i, ''));
  return filename && plain ? filename : `Tệp đính kèm thứ ${n + 1}${ext ? ` (.${ext.toLowerCase()})` : ''}`;
}

/** A zip archive whose files were taken out at intake and stored after it (it is not read itself). */
const isOpenedArchive = (f: AckFile) =>
  f.state === 'skipped' && !f.reason_code && f.content_type === 'application/zip';

// What the sender of a workbook that holds no form is told to do with it.
const SPREADSHEET_ADVICE = `Nếu đây là Biểu đăng ký lập bằng Excel, đề nghị để mỗi sáng kiến một dòng dưới một dòng tiêu đề cột (${INITIATIVE_FIELDS.filter(
  (f) => ['title', 'summary', 'timeline', 'lead_unit'].includes(f.name),
)
  .map((f) => f.label)
  .join('; ')}…) và gửi lại, hoặc gửi Biểu đăng ký bằng tệp Word (.docx).`;

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
    const held = s?.status === 'pending_review';
    const pendingReview = s
      ? heldNote(s, input.minimal ? null : input.senderAgencyName, input.contact)
      : null;
    const replaces =
      !input.minimal && s?.replaces && outcome === 'registration' && !held
        ? `${s.replaces.reference}${s.replaces.receivedAt ? `, nhận ngày ${formatDate(new Date(s.replaces.receivedAt), input.zone)}` : ''}`
        : null;
    return {
      scanAlone: false,
      filename: input.minimal ? strangerFileName(a.filename, n) : a.filename,
      held,
      archive,
      openedArchive: isOpenedArchive(a),
      // A copy is known by its original's reference: that is the one the sender was given.
      reference: (outcome === 'duplicate' ? s?.originalReference : null) ?? s?.reference ?? null,
      pendingReview,
      replaces,
      changes:
        !input.minimal && outcome === 'registration' && s?.changes && (hasChanges(s.changes) || replaces)
          ? changesOf(s.changes, s.initiatives)
          : null,
      lateNote: s && !input.minimal ? lateNote(s, input.deadlines ?? null) : null,
      outcome,
      advice:
        outcome === 'rejected' && WINMAIL.test(a.filename)
          ? WINMAIL_ADVICE
          : outcome === 'rejected'
            ? input.advice[a.reason_code ?? ''] || REFUSED_DEFAULT
            : outcome === 'skipped'
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
  const received = files.filter((f) => f.outcome === 'registration' || f.outcome === 'results');
  // A held form is received, not accepted: it counts only once staff confirm it.
  const read = received.filter((f) => !f.held);
  const heldForms = received.filter((f) => f.held);
  const anyForm = received.length > 0 || files.some((f) => f.outcome === 'duplicate');
  const anyRejected = files.some((f) => f.outcome === 'rejected');
  const anyFailed = files.some((f) => f.outcome === 'failed');
  // A scan next to a Word form is the signed copy; a scan alone still lacks the form. A file that failed on our
  // side is not the sender's to send again: staff look at it, the mail is not said to lack a form.
  const missingForm = files.length > 0 && !anyForm && !anyRejected && !anyFailed;
  for (const f of files) if (f.outcome === 'scanned') f.scanAlone = !anyForm;
  const tooLarge = input.rejectReason === 'too_large';
  const firstForm = read[0] ?? heldForms[0];
  const season: 'results' | 'registration' = input.resultsSeason ? 'results' : 'registration';
  const formName =
    (firstForm?.outcome ?? (season === 'results' ? 'results' : 'registration')) === 'results'
      ? 'Báo cáo kết quả thực hiện sáng kiến CCHC'
      : 'Biểu đăng ký sáng kiến CCHC';
  const agencyName = input.minimal ? null : input.senderAgencyName;
  const reference = firstForm?.reference ?? files.find((f) => f.outcome === 'duplicate')?.reference ?? null;
  const onlyPapers =
    files.length > 0 && files.every((f) => f.outcome === 'not_a_form' || f.outcome === 'scanned');
  const numbered = reference ? ` – số tiếp nhận ${reference}` : '';
  const subject = [
    tooLarge
      ? 'Thư vượt quá dung lượng cho phép, chưa được xử lý'
      : read.length > 0
        ? `Đã tiếp nhận ${formName}${numbered}`
        : heldForms.length > 0
          ? `Đã nhận ${formName}${numbered} – chờ Phòng CCHC xác nhận`
          : anyForm
            ? `${formName} đã được tiếp nhận trước đó${numbered}`
            : anyFailed
              ? 'Đã nhận thư – Phòng CCHC đang kiểm tra tệp gửi kèm'
              : files.length === 0
                ? `Chưa nhận được tệp gửi kèm – đề nghị gửi ${formName}`
                : onlyPapers
                  ? `Chưa nhận được ${formName} theo mẫu – đề nghị gửi bổ sung`
                  : `Chưa đọc được tệp gửi kèm – đề nghị gửi lại ${formName}`,
    agencyName,
  ]
    .filter(Boolean)
    .join(' – ');
  const day = localDay(input.receivedAt, input.zone);
  const standing =
    input.standing && !input.minimal
      ? {
          agencyName: input.standing.agencyName,
          year: input.standing.year,
          registered: twoDigits(input.standing.registered),
          required: twoDigits(input.standing.required),
          shortBy: twoDigits(input.standing.shortBy),
          // An agency exempt this year is required nothing: it is never told it "meets" a quota.
          exempt: input.standing.required === 0,
          met: input.standing.met,
          // Asked by the announced day, or "khẩn trương" once it has passed (never by a day already gone).
          due: dueWords(input.standing.due, day) satisfies DueWords,
        }
      : null;
  const unreported =
    !input.minimal && read.some((f) => f.outcome === 'results') ? [...(input.stillUnreported ?? [])] : [];
  // Nothing counted and a form still wanted: the blank form goes with the answer.
  const blankForm = !tooLarge && read.length === 0 && heldForms.length === 0 && !anyForm && !anyFailed;
  const needsAction =
    blankForm ||
    heldForms.length > 0 ||
    unreported.length > 0 ||
    files.some((f) => f.advice) ||
    Boolean(standing && !standing.met && !standing.exempt);
  return {
    subject,
    tooLarge,
    size: formatSize(input.rawSize),
    limit: formatSize(input.maxMessageBytes),
    office: input.office,
    /** The office as the subject of a sentence: "Phòng Cải cách hành chính, Sở Nội vụ Hà Nội". */
    officeName: officeInSentence(input.office),
    heading:
      read.length > 0 || (anyForm && heldForms.length === 0)
        ? 'Xác nhận đã tiếp nhận hồ sơ'
        : heldForms.length > 0
          ? 'Thông báo đã nhận hồ sơ, chờ xác nhận'
          : 'Thông báo về hồ sơ gửi đến',
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
    unreported,
    /** Which blank form goes with the answer (the season's), when a form is still wanted. */
    blankForm: blankForm ? season : null,
    closing: needsAction
      ? 'trân trọng thông báo để Quý cơ quan biết, thực hiện.'
      : 'trân trọng thông báo để Quý cơ quan biết.',
    inboxAddress: input.inboxAddress,
    contact: input.contact,
  };
}

/**
 * What a revision changed, as the sender is told: the initiatives updated (the same title), replaced (another
 * title), added (new in this form) and dropped, and those of the earlier form kept as they were.
 */
function changesOf(c: RegistrationChanges, initiatives: readonly AckInitiative[]) {
  const replacing = new Set(c.replaced.map((r) => r.new));
  return {
    updated: c.replaced.filter((r) => r.old === r.new).map((r) => r.new),
    replaced: c.replaced.filter((r) => r.old !== r.new),
    added: initiatives.map((i) => i.title).filter((t) => !replacing.has(t)),
    dropped: c.dropped,
    kept: c.kept,
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
