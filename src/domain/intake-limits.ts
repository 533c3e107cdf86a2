// Limits on what one email may ask of the system, and what the sender and the staff are told when a mail goes over
// one. Nothing over a limit is lost: the raw .eml is always stored; what is over is only not parsed.

/** The limits as configured (src/config.ts: MAX_ATTACHMENTS_PER_MESSAGE, MAX_MIME_PARTS, MAX_MIME_DEPTH). */
export interface IntakeLimits {
  /** Files of one message that are parsed; the rest are stored as `skipped` (`too_many_attachments`). */
  maxAttachments: number;
  /** MIME parts of one message that are read (the message itself counts as one). */
  maxParts: number;
  /** How deep parts may nest (the message itself is depth 0, its parts depth 1…). */
  maxDepth: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = Object.freeze({
  maxAttachments: 50,
  maxParts: 500,
  maxDepth: 10,
});

/**
 * At most this many attachment rows are stored for one message, whatever the configuration; further files (a
 * winmail.dat or forwarded mail can hold thousands) are counted on the message row (`unlisted_parts`). It keeps
 * the insert far below PostgreSQL's 65,535 bind parameters (8 per row) and the work per mail bounded.
 */
export const MAX_STORED_ATTACHMENTS = 1000;

export const INTAKE_LIMIT_CODES = ['too_many_attachments', 'too_many_parts', 'too_deeply_nested'] as const;
/**
 * Why part of a mail was not read: `too_many_attachments` is the reason code of each attachment row stored as
 * `skipped`; `too_many_parts` and `too_deeply_nested` are review reasons of the message (its parts past the limit
 * have no attachment row; the message's `unlisted_parts` says how many).
 */
export type IntakeLimitCode = (typeof INTAKE_LIMIT_CODES)[number];

/** A message that could not be read at all (its MIME structure broke the mail reader); stored for staff. */
export const UNREADABLE_MESSAGE = 'unreadable_message';

/** What the sender is told, in Vietnamese, for each limit; the numbers are the limits in force. */
export function intakeLimitAdvice(code: IntakeLimitCode, limits: IntakeLimits): string {
  switch (code) {
    case 'too_many_attachments':
      return `Thư có quá nhiều tệp đính kèm; hệ thống chỉ đọc ${limits.maxAttachments} tệp đầu tiên của mỗi thư. Đề nghị gửi các tệp còn lại bằng thư khác (mỗi thư không quá ${limits.maxAttachments} tệp).`;
    case 'too_many_parts':
      return `Thư có cấu trúc quá nhiều phần (quá ${limits.maxParts} phần), nên phần sau của thư chưa được đọc; thư đã được lưu để cán bộ Phòng CCHC kiểm tra. Đề nghị gửi lại tệp Word theo mẫu bằng một thư mới, chỉ đính kèm các tệp cần thiết.`;
    case 'too_deeply_nested':
      return `Thư được chuyển tiếp hoặc lồng nhau quá nhiều lớp (quá ${limits.maxDepth} lớp), nên phần lồng sâu chưa được đọc; thư đã được lưu để cán bộ Phòng CCHC kiểm tra. Đề nghị đính kèm trực tiếp tệp Word theo mẫu vào một thư mới.`;
  }
}

/** Whether a reason code (of an attachment row or a message's review reasons) is one of the intake limits. */
export function isIntakeLimitCode(code: string | null | undefined): code is IntakeLimitCode {
  return (INTAKE_LIMIT_CODES as readonly string[]).includes(code ?? '');
}

export type PlannedState = 'pending' | 'skipped';

/**
 * Which of a message's files are parsed: in MIME order, every file that would be parsed (`wouldParse`) until
 * `maxAttachments` of them; those after are `skipped` with `too_many_attachments`. Files that are never parsed
 * (automatic mail, an unpacked winmail.dat) stay `skipped` without a reason and do not count.
 */
export function planAttachments(
  wouldParse: readonly boolean[],
  limits: Pick<IntakeLimits, 'maxAttachments'>,
): { state: PlannedState; reason: IntakeLimitCode | null }[] {
  let parsed = 0;
  return wouldParse.map((parse) => {
    if (!parse) return { state: 'skipped', reason: null };
    if (parsed >= limits.maxAttachments) return { state: 'skipped', reason: 'too_many_attachments' };
    parsed++;
    return { state: 'pending', reason: null };
  });
}
