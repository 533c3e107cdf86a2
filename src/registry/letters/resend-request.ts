import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { messageWithFiles } from '../../db/message.repository.js';
import { lockOutboxKeys, outboxByKeyPrefix } from '../../db/outbox.repository.js';
import { forgeryVerdict } from '../../db/review.repository.js';
import { resendRefusal } from '../../domain/follow-up.js';
import { senderTrust } from '../../domain/review-reasons.js';
import { OperationRefused } from '../../errors.js';
import type { MailRenderer } from '../../mail/render.js';
import { addressOf } from '../../mail/reply-guard.js';
import type { Queues } from '../../queue/queues.js';
import { type Actor, recordAudit } from '../audit.js';
import { agencyById, campaignById, latestCampaign } from '../reference/reference-data.js';
import { adviceFor, ownAddressesFor, replyFor } from './acknowledge.js';
import { contactFor } from './campaign-letter.js';
import { writeLetter } from './queue-letter.js';
import { resendRequestView } from './resend-request-view.js';

export interface ResendDeps {
  db: Database;
  config: Config;
  queues: Queues;
  renderer: MailRenderer;
  clock: { now(): Date };
}

export interface ResendRequested {
  /** The address the request went to: the message's `From`, as for an acknowledgement. */
  to: string;
  outboxId: string;
}

/**
 * A second request for the same message within this time is refused: a double click sends one mail, and a
 * sender is not asked twice in a row. Later, a new request is a new mail (`resend-<message id>-<n>`).
 */
const RESEND_INTERVAL_MS = 3_600_000;

/** The longest note a person may add to the mail. */
export const RESEND_NOTE_MAX = 2000;

// Why an acknowledgement was not sent that says nothing against a person writing now: the caps and the age limit
// keep automatic replies in check, not what staff decide to send.
const ONLY_FOR_AUTOMATIC_REPLIES = new Set(['rate_limited', 'too_old']);

/**
 * Ask the sender of a message to send its files again (a held or unreadable message, a refused or failed file):
 * a Vietnamese mail in the message's thread, to the address an acknowledgement would go to, naming the mail and
 * its files and why each did not count, with the person's note. Never to automatic mail, our own addresses or a
 * forged sender (`decideReply`). Put in the outbox and queued for the mailer; audited.
 */
export async function askToResend(
  deps: ResendDeps,
  by: Actor,
  input: { messageId: string; note: string | null },
): Promise<ResendRequested> {
  const { db, config } = deps;
  const id = input.messageId.trim();
  const note = input.note?.trim() || null;
  if (note && note.length > RESEND_NOTE_MAX)
    throw new OperationRefused('invalid_input', `a note has at most ${RESEND_NOTE_MAX} characters`);
  const read = /^\d{1,18}$/.test(id) ? await messageWithFiles(db, id) : undefined;
  if (!read) throw new OperationRefused('not_found', `no message ${input.messageId}`, { messageId: id });
  const { message: msg, files } = read;
  const refusal = resendRefusal({
    state: msg.state,
    files,
    forgery: (await forgeryVerdict(db, msg.id)) !== undefined,
  });
  if (refusal) throw refused(msg.id, refusal, REFUSAL_WHY[refusal]);

  const submission = files.find((f) => f.submission)?.submission;
  const campaign = submission
    ? await campaignById({ db }, submission.campaign_id)
    : await latestCampaign({ db });
  const now = deps.clock.now();
  const storedReason = ONLY_FOR_AUTOMATIC_REPLIES.has(msg.no_reply_reason ?? '') ? '' : msg.no_reply_reason;
  const { decision, references } = await replyFor(
    { ...msg, no_reply_reason: storedReason },
    {
      own: ownAddressesFor(config, campaign),
      trust: senderTrust(msg.auth_verdict, config, msg.sender_doubt),
      now,
      // A person chose this message, however old: the age limit is for an old mailbox's first scan.
      maxAgeDays: Number.POSITIVE_INFINITY,
    },
  );
  if (!decision.send)
    throw refused(msg.id, decision.reason, `its sender is not written to (${decision.reason})`);

  const senderAgency = msg.agency_id ? await agencyById({ db }, msg.agency_id) : undefined;
  const view = resendRequestView({
    office: config.OFFICE_NAME,
    inboxAddress: campaign?.inbox_address ?? addressOf(config.MAIL_FROM),
    zone: campaign?.time_zone ?? config.TIME_ZONE,
    receivedAt: msg.received_at,
    subject: msg.subject,
    rawSize: msg.raw_size,
    rejectReason: msg.reject_reason,
    maxMessageBytes: config.MAX_MESSAGE_BYTES,
    senderAgencyName: senderAgency?.name ?? null,
    reviewReasons: msg.review_reasons,
    files,
    minimal: decision.minimal,
    advice: adviceFor(config),
    note,
    contact: contactFor(campaign, config),
  });
  if (!view.wanted) throw refused(msg.id, 'nothing_to_resend', REFUSAL_WHY.nothing_to_resend);
  const rendered = deps.renderer.render('resend-request', view);

  const prefix = `resend-${msg.id}-`;
  const requested = await db.transaction().execute(async (trx) => {
    // One request at a time per message: two clicks at once cannot both pass the check below.
    await lockOutboxKeys(trx, prefix);
    const earlier = await outboxByKeyPrefix(trx, prefix);
    const last = earlier[0];
    if (last && now.getTime() - last.created_at.getTime() < RESEND_INTERVAL_MS)
      throw new OperationRefused(
        'conflict',
        `the sender of message ${msg.id} was asked to resend at ${last.created_at.toISOString()}; ask again after an hour`,
        { messageId: msg.id, reason: 'asked_recently', at: last.created_at, outboxId: last.id },
      );
    const queued = await writeLetter(trx, {
      kind: 'notice',
      dedupeKey: `${prefix}${earlier.length}`,
      to: [decision.to],
      rendered,
      // A person decided to send it: not Auto-Submitted (RFC 3834).
      origin: 'person',
      replyTo: msg.message_id ? { messageId: msg.message_id, references } : null,
      messageId: msg.id,
      agencyId: msg.agency_id,
      campaignId: campaign?.id ?? null,
    });
    await recordAudit(trx, by, {
      action: 'ask_resend',
      subject: ['message', msg.id],
      after: { to: decision.to, outboxId: queued.id },
      note,
    });
    return { to: decision.to, outboxId: queued.id };
  });
  return requested;
}

const REFUSAL_WHY: Record<NonNullable<ReturnType<typeof resendRefusal>> | 'nothing_to_resend', string> = {
  processing: 'it is still being processed',
  forgery: 'it was judged a forgery',
  nothing_to_resend: 'every file of it was recorded',
};

function refused(messageId: string, reason: string, why: string): OperationRefused {
  return new OperationRefused('wrong_state', `message ${messageId} cannot be answered: ${why}`, {
    messageId,
    reason,
  });
}

const AUTOMATIC =
  'Thư này do hệ thống thư điện tử tự động gửi (thư trả lời tự động, thư báo lỗi, thư gửi hàng loạt hoặc từ địa chỉ không nhận thư trả lời), không phải do cán bộ của đơn vị gửi; hệ thống không gửi thư đề nghị đến địa chỉ tự động. Hãy liên hệ đơn vị qua địa chỉ thư đã đăng ký hoặc điện thoại.';

/** What the console says when a request to resend is refused, by the refusal's reason (Vietnamese). */
const REFUSAL_TEXT: Record<string, string> = {
  auto_submitted: AUTOMATIC,
  auto_reply_header: AUTOMATIC,
  bulk_precedence: AUTOMATIC,
  mailing_list: AUTOMATIC,
  bounce: AUTOMATIC,
  own_address: 'Thư này được gửi từ chính địa chỉ của Phòng CCHC; không gửi thư đề nghị cho chính mình.',
  no_sender: 'Không xác định được địa chỉ người gửi của thư này nên không gửi được thư đề nghị.',
  unreadable_message:
    'Không đọc được cấu trúc thư nên không xác định được người gửi; không gửi được thư đề nghị. Hãy liên hệ đơn vị qua địa chỉ thư đã đăng ký hoặc điện thoại.',
  authentication_failed:
    'Người gửi thư này không qua kiểm tra xác thực (có thể bị giả mạo): thư đề nghị sẽ đến một người không gửi thư này. Hãy liên hệ đơn vị qua địa chỉ thư đã đăng ký hoặc điện thoại.',
  processing: 'Thư này đang được hệ thống xử lý; hãy thử lại sau ít phút.',
  forgery:
    'Thư này đã được đánh dấu là giả mạo nên không gửi thư đề nghị cho người gửi. Nếu nhận định đó chưa đúng, hãy bỏ đánh dấu giả mạo trước.',
  nothing_to_resend: 'Mọi tệp của thư này đều đã được ghi nhận; không có gì cần đề nghị gửi lại.',
  asked_recently:
    'Đơn vị đã được gửi thư đề nghị gửi lại cho thư này trong vòng một giờ qua; không gửi thêm thư nữa. Có thể đề nghị lại sau một giờ.',
};

/** The refusal of `askToResend` in words for the console; undefined for any other refusal. */
export function resendRefusalText(err: OperationRefused): string | undefined {
  const reason = err.context.reason;
  return typeof reason === 'string' ? REFUSAL_TEXT[reason] : undefined;
}
