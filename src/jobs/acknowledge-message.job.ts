import { UnrecoverableError } from 'bullmq';
import { campaignQuotas } from '../db/campaign.repository.js';
import {
  attachmentsWithSubmissions,
  messageForAcknowledgement,
  setMessageState,
} from '../db/message.repository.js';
import { enqueueOutbox } from '../db/outbox.repository.js';
import { countActiveInitiatives, setAttachmentOutcome } from '../db/submission.repository.js';
import type { ResultStatus } from '../domain/kinds.js';
import { requiredInitiatives, shortBy } from '../domain/quota.js';
import { formatSize } from '../domain/text.js';
import { formatDate, formatDateTime } from '../domain/time.js';
import { headerBlock, parseIncomingMessage } from '../mail/incoming-message.js';
import { addressOf, ownAddresses, replyBlocked } from '../mail/reply-guard.js';
import { REJECTION_ADVICE, type RejectionCode } from '../parser/parse-errors.js';
import { AcknowledgePayload, enqueueMail } from '../queue/queues.js';
import type { JobDeps } from './job-deps.js';
import { agencyById, campaignById, latestCampaign } from './reference-data.js';

export type AcknowledgeOutcome =
  | { status: 'sent'; outboxId: string }
  | { status: 'not_sent'; reason: string };

const RESULT_LABEL: Record<ResultStatus, string> = {
  completed: 'Đã hoàn thành',
  in_progress: 'Đang triển khai',
  not_started: 'Chưa thực hiện',
  unknown: 'Chưa rõ',
};

const REVIEW_NOTE: Record<string, string> = {
  unknown_sender:
    'Thư được gửi từ địa chỉ chưa có trong danh sách của các cơ quan; nội dung sẽ được tính sau khi cán bộ Phòng CCHC xác nhận.',
  agency_mismatch:
    'Cơ quan ghi trên biểu khác với cơ quan gửi thư; cán bộ Phòng CCHC sẽ kiểm tra trước khi tính.',
  spoofing: 'Thư chưa qua được kiểm tra xác thực người gửi; cán bộ Phòng CCHC sẽ kiểm tra.',
};

/**
 * After every attachment of a message has ended: settle the message's state and, unless the rules forbid a
 * reply (automatic mail, bulk, our own address, a failed authentication check, mail older than the limit, too
 * many replies to this sender), put one acknowledgement in the outbox, in Vietnamese, saying what was understood.
 */
export async function acknowledgeMessageJob(data: unknown, deps: JobDeps): Promise<AcknowledgeOutcome> {
  const input = AcknowledgePayload.safeParse(data);
  if (!input.success) throw new UnrecoverableError(`bad acknowledge payload: ${input.error.message}`);
  const { db, config, clock } = deps;
  const log = deps.log.child({ messageId: input.data.messageId });
  const msg = await messageForAcknowledgement(db, input.data.messageId);
  if (!msg) return { status: 'not_sent', reason: 'message_gone' };

  // Every parse of this message has ended. One that never recorded an outcome (its worker died each time it
  // tried) is failed here, so no attachment is left without a terminal state.
  let attachments = await attachmentsWithSubmissions(db, msg.id);
  if (attachments.some((a) => a.state === 'pending')) {
    for (const a of attachments.filter((x) => x.state === 'pending')) {
      await setAttachmentOutcome(db, a.id, {
        state: 'failed',
        reason_code: 'processing_failed',
        error_message: 'the parse job ended without a result',
      });
    }
    attachments = await attachmentsWithSubmissions(db, msg.id);
  }
  const submissions = attachments.flatMap((a) => (a.submission ? [a.submission] : []));
  const reviewReasons = new Set<string>(msg.review_reasons);
  for (const s of submissions) for (const r of s.review_reasons) reviewReasons.add(r);
  if (!msg.agency_id && !msg.is_automatic) reviewReasons.add('unknown_sender');
  if (msg.auth_verdict === 'fail') reviewReasons.add('spoofing');
  if (attachments.some((a) => a.state === 'failed')) reviewReasons.add('failed_attachment');
  if (msg.state !== 'rejected') {
    await setMessageState(db, msg.id, reviewReasons.size > 0 ? 'needs_review' : 'processed', [
      ...reviewReasons,
    ]);
  }

  // Whether to answer at all: decided when the message was stored ('' = may be answered); a message stored
  // before that decision was kept has its headers read again.
  const campaign = submissions[0]
    ? await campaignById(db, submissions[0].campaign_id)
    : await latestCampaign(db);
  const own = [...ownAddresses(config), campaign?.inbox_address ?? ''];
  const incoming =
    msg.no_reply_reason === null && msg.head ? await parseIncomingMessage(headerBlock(msg.head)) : null;
  const to = (msg.reply_to ?? msg.from_address ?? '').toLowerCase();
  const blocked =
    (msg.no_reply_reason || null) ??
    (incoming ? replyBlocked(incoming, own) : null) ??
    (msg.is_automatic ? 'auto_submitted' : null) ??
    (own.includes(to) ? 'own_address' : null);
  const now = clock.now();
  const reason =
    blocked ??
    (msg.is_automatic ? 'automatic' : null) ??
    (!to ? 'no_sender' : null) ??
    (msg.auth_verdict === 'fail' ? 'authentication_failed' : null) ??
    (now.getTime() - msg.received_at.getTime() > config.IMAP_MAX_ACK_AGE_DAYS * 86_400_000
      ? 'too_old'
      : null);
  if (reason) {
    log.info({ reason }, 'no acknowledgement');
    return { status: 'not_sent', reason };
  }

  const zone = campaign?.time_zone ?? config.TIME_ZONE;
  const senderAgency = msg.agency_id ? await agencyById(db, msg.agency_id) : undefined;
  const files = [];
  let anyForm = false;
  let anyRejected = false;
  for (const a of attachments) {
    const submission = a.submission;
    const pendingReview = submission?.review_reasons.map((r) => REVIEW_NOTE[r]).find(Boolean) ?? null;
    const base = { filename: a.filename, reference: submission?.reference ?? null, pendingReview };
    if (a.state === 'rejected') {
      anyRejected = true;
      files.push({
        ...base,
        outcome: 'rejected',
        advice: REJECTION_ADVICE[a.reason_code as RejectionCode] ?? '',
      });
    } else if (a.state === 'failed') files.push({ ...base, outcome: 'failed' });
    else if (a.state === 'skipped') files.push({ ...base, outcome: 'skipped' });
    else if (submission?.status === 'duplicate') {
      anyForm = true;
      files.push({ ...base, outcome: 'duplicate' });
    } else if (submission?.kind === 'registration') {
      anyForm = true;
      files.push({
        ...base,
        outcome: 'registration',
        initiatives: submission.initiatives,
        supersedes: submission.supersedes_id !== null,
      });
    } else if (submission?.kind === 'results_report') {
      anyForm = true;
      const results = submission.results.map((r) => ({
        title: r.title,
        status: RESULT_LABEL[r.status],
        unmatched: r.needs_review,
      }));
      files.push({ ...base, outcome: 'results', results });
    } else if ((a.warnings ?? []).includes('scanned')) {
      files.push({ ...base, outcome: 'scanned' });
    } else files.push({ ...base, outcome: 'not_a_form' });
  }
  // A scan next to a Word form is the signed copy; a scan alone still lacks the form.
  const missingForm = attachments.length > 0 && !anyForm && !anyRejected;

  let standing: Record<string, unknown> | null = null;
  const registration = submissions.find((s) => s.kind === 'registration' && s.status === 'active');
  if (registration && campaign && registration.agency_id) {
    const agency =
      registration.agency_id === senderAgency?.id
        ? senderAgency
        : await agencyById(db, registration.agency_id);
    if (agency) {
      const required = requiredInitiatives(
        { kind: agency.kind, registryQuota: agency.registry_quota },
        await campaignQuotas(db, campaign.id),
      );
      const registered = await countActiveInitiatives(db, campaign.id, agency.id);
      standing = {
        agencyName: agency.name,
        campaignName: `đợt đăng ký năm ${campaign.year}`,
        registered,
        required,
        shortBy: shortBy(required, registered),
        met: registered >= required,
        deadline: formatDate(campaign.registration_deadline, zone),
      };
    }
  }

  const inboxAddress = campaign?.inbox_address ?? addressOf(config.MAIL_FROM);
  const firstForm = files.find((f) => f.outcome === 'registration' || f.outcome === 'results');
  const tooLarge = msg.reject_reason === 'too_large';
  const view = {
    tooLarge,
    size: formatSize(msg.raw_size),
    limit: formatSize(config.MAX_MESSAGE_BYTES),
    office: 'Sở Nội vụ Hà Nội - Phòng Cải cách hành chính',
    heading:
      missingForm || attachments.length === 0 ? 'Thông báo về hồ sơ gửi đến' : 'Xác nhận đã nhận hồ sơ',
    agencyName: senderAgency?.name ?? null,
    receivedAt: formatDateTime(msg.received_at, zone),
    subjectLine: msg.subject,
    noAttachment: attachments.length === 0 && !tooLarge,
    missingForm,
    documentName:
      firstForm?.outcome === 'results'
        ? 'Báo cáo kết quả thực hiện sáng kiến CCHC'
        : 'Biểu đăng ký sáng kiến CCHC',
    reference: firstForm?.reference ?? null,
    files,
    standing,
    inboxAddress,
  };
  const rendered = deps.renderer.render('acknowledgement', view);
  const references =
    msg.references ??
    [...(incoming?.references ?? []), ...(msg.message_id ? [msg.message_id] : [])].join(' ');
  const queued = await enqueueOutbox(
    db,
    {
      kind: 'acknowledgement',
      dedupe_key: `ack-${msg.id}`,
      to_addresses: [to],
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: JSON.stringify({
        'Auto-Submitted': 'auto-replied',
        'X-Auto-Response-Suppress': 'All',
        ...(msg.message_id ? { 'In-Reply-To': msg.message_id, References: references } : {}),
      }),
      message_id: msg.id,
      agency_id: msg.agency_id,
      campaign_id: campaign?.id ?? null,
    },
    [],
    { address: to, since: new Date(now.getTime() - 3_600_000), max: config.ACK_MAX_PER_SENDER_PER_HOUR },
  );
  if ('limited' in queued) {
    log.info({ reason: 'rate_limited', to }, 'no acknowledgement');
    return { status: 'not_sent', reason: 'rate_limited' };
  }
  await enqueueMail(deps.queues, queued.id, config.MAIL_RETRY_BASE_MS);
  log.info({ outboxId: queued.id, to }, 'acknowledgement queued');
  return { status: 'sent', outboxId: queued.id };
}
