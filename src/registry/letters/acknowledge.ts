import type { Config } from '../../config.js';
import { failPendingFiles } from '../../db/attachment.repository.js';
import type { Database } from '../../db/database.js';
import { initiativesWithoutResults, registrationChanges } from '../../db/initiative.repository.js';
import { type MessageSettlement, messageWithFiles, settleMessage } from '../../db/message.repository.js';
import { agencyDue } from '../../domain/deadlines.js';
import { INTAKE_LIMIT_CODES, type IntakeLimitCode, intakeLimitAdvice } from '../../domain/intake-limits.js';
import {
  decideReply,
  type ReplyDecision,
  type ReplyFacts,
  recipientKey,
  replyCaps,
} from '../../domain/reply-decision.js';
import {
  messageReviewReasons,
  type SenderTrust,
  senderTrust,
  settledState,
} from '../../domain/review-reasons.js';
import { localDay } from '../../domain/time.js';
import type { Logger } from '../../logger.js';
import type { MailRenderer } from '../../mail/render.js';
import { addressOf, ownAddresses, replyBlocked } from '../../mail/reply-guard.js';
import { REJECTION_ADVICE } from '../../parser/parse-errors.js';
import type { Queues } from '../../queue/queues.js';
import { agencyById, campaignById, latestCampaign } from '../reference/reference-data.js';
import { agencyStandingIn } from '../views/campaign-standing.js';
import { type AcknowledgementView, acknowledgementView } from './acknowledgement-view.js';
import { blankForm, contactFor } from './campaign-letter.js';
import { queueLetter } from './queue-letter.js';

export type AcknowledgeOutcome =
  | { status: 'sent'; outboxId: string }
  | { status: 'not_sent'; reason: string };

export interface AcknowledgeDeps {
  db: Database;
  config: Config;
  log: Logger;
  queues: Queues;
  renderer: MailRenderer;
  clock: { now(): Date };
}

/** What the sender is told for each reason a file was refused or not read. */
export function adviceFor(config: Config): Record<string, string> {
  const limits = {
    maxAttachments: config.MAX_ATTACHMENTS_PER_MESSAGE,
    maxParts: config.MAX_MIME_PARTS,
    maxDepth: config.MAX_MIME_DEPTH,
  };
  return {
    ...REJECTION_ADVICE,
    ...Object.fromEntries(INTAKE_LIMIT_CODES.map((c: IntakeLimitCode) => [c, intakeLimitAdvice(c, limits)])),
  };
}

type Read = NonNullable<Awaited<ReturnType<typeof messageWithFiles>>>;
type StoredMessage = Read['message'];
type FileRows = Read['files'];

/**
 * After every attachment of a message has ended: settle the message's state (no file is left pending) and,
 * when `decideReply` allows, put one acknowledgement in the outbox, in Vietnamese, saying what was understood.
 * The settled state is written with the answer, in its transaction, or with the reason the sender gets none
 * (kept on the message for staff): never one without the other. Four steps: read → gather → view → queue.
 */
export async function acknowledgeMessage(
  deps: AcknowledgeDeps,
  messageId: string,
): Promise<AcknowledgeOutcome> {
  const log = deps.log.child({ messageId });
  const read = await readEnded(deps.db, messageId);
  if (!read) return { status: 'not_sent', reason: 'message_gone' };
  const { message: msg, files: attachments } = read;
  const trust = senderTrust(msg.auth_verdict, deps.config, msg.sender_doubt);
  const settled = settlement(msg, attachments, trust);
  const campaign = await campaignOf(deps.db, attachments);
  const { decision, references } = await replyFor(msg, {
    own: ownAddressesFor(deps.config, campaign),
    trust,
    now: deps.clock.now(),
    maxAgeDays: deps.config.IMAP_MAX_ACK_AGE_DAYS,
  });
  if (!decision.send) return notSent(deps, { ...settled, noReplyReason: decision.reason }, log);
  const facts = await gather(deps.db, msg, attachments, campaign, decision.minimal);
  const view = acknowledgementView(viewInput(deps.config, msg, facts, decision.minimal));
  return queue(deps, msg, { campaign, references, settled }, { ...decision, view }, log);
}

/**
 * The message and its files, every one ended: a file whose parse never recorded an outcome (its worker died each
 * time it tried) is failed first, and the files read again.
 */
async function readEnded(db: Database, messageId: string): Promise<Read | undefined> {
  const read = await messageWithFiles(db, messageId);
  if (!read?.files.some((a) => a.state === 'pending')) return read;
  await failPendingFiles(db, messageId, 'the parse job ended without a result');
  return messageWithFiles(db, messageId);
}

/** The message's settled state, from its reasons (`messageReviewReasons`); a mail refused as a whole stays so. */
function settlement(msg: StoredMessage, files: FileRows, trust: SenderTrust): MessageSettlement {
  const reasons = messageReviewReasons({
    stored: msg.review_reasons,
    sender: { registered: msg.agency_id !== null, automatic: msg.is_automatic, trust },
    files,
  });
  return {
    messageId: msg.id,
    state: msg.state === 'rejected' ? null : settledState(reasons),
    reviewReasons: reasons,
    noReplyReason: null,
  };
}

/** The campaign a message belongs to: its forms', else the latest. */
async function campaignOf(db: Database, attachments: FileRows) {
  const first = attachments.find((a) => a.submission)?.submission;
  return first ? campaignById({ db }, first.campaign_id) : latestCampaign({ db });
}

type Campaign = Awaited<ReturnType<typeof campaignOf>>;

/**
 * Gather what an answer that goes says: what each registration changed (the sender is told by title), the
 * sender's agency and, for a registry sender, its standing.
 */
async function gather(
  db: Database,
  msg: StoredMessage,
  attachments: FileRows,
  campaign: Campaign,
  minimal: boolean,
) {
  const submissions = attachments.flatMap((a) => (a.submission ? [a.submission] : []));
  const files = [];
  for (const a of attachments) {
    const s = a.submission;
    const changes =
      s?.kind === 'registration' && s.status === 'active' ? await registrationChanges(db, s.id) : null;
    files.push({ ...a, submission: s ? { ...s, changes } : null });
  }
  const senderAgency = msg.agency_id ? await agencyById({ db }, msg.agency_id) : undefined;
  const registration = submissions.find((s) => s.kind === 'registration' && s.status === 'active');
  const standing =
    registration?.agency_id && campaign && !minimal
      ? await agencyStandingIn(db, campaign, registration.agency_id)
      : undefined;
  // A results report is answered with what its agency has still to report.
  const report = submissions.find((s) => s.kind === 'results_report' && s.status === 'active');
  const stillUnreported =
    report?.agency_id && campaign && !minimal
      ? (await initiativesWithoutResults(db, campaign.id))
          .filter((i) => i.agency_id === report.agency_id)
          .map((i) => i.title)
      : [];
  return { campaign, files, senderAgency, standing, stillUnreported };
}

type Gathered = Awaited<ReturnType<typeof gather>>;

/** View: what the acknowledgement says, from the message and what was gathered (the view itself is pure). */
function viewInput(
  config: Config,
  msg: StoredMessage,
  { campaign, files, senderAgency, standing, stillUnreported }: Gathered,
  minimal: boolean,
): Parameters<typeof acknowledgementView>[0] {
  const zone = campaign?.time_zone ?? config.TIME_ZONE;
  const code = senderAgency?.code ?? null;
  return {
    office: config.OFFICE_NAME,
    inboxAddress: campaign?.inbox_address ?? addressOf(config.MAIL_FROM),
    zone,
    receivedAt: msg.received_at,
    subject: msg.subject,
    rawSize: msg.raw_size,
    rejectReason: msg.reject_reason,
    maxMessageBytes: config.MAX_MESSAGE_BYTES,
    senderAgencyName: senderAgency?.name ?? null,
    files,
    standing:
      standing && campaign
        ? {
            agencyName: standing.name,
            year: campaign.year,
            registered: standing.registered,
            required: standing.required,
            shortBy: standing.shortBy,
            met: standing.met,
            due: agencyDue(campaign, standing.code, 'registration'),
          }
        : null,
    deadlines: campaign
      ? {
          registration: agencyDue(campaign, code, 'registration').deadline,
          results_report: agencyDue(campaign, code, 'results_report').deadline,
        }
      : null,
    stillUnreported,
    // The campaign's own contact when its file names one, else OFFICE_CONTACT.
    contact: contactFor(campaign, config),
    minimal,
    // The season of the mail's arrival: after the registration deadline, a mail without a form is asked for results.
    resultsSeason: campaign ? localDay(msg.received_at, zone) > campaign.registration_deadline : false,
    advice: adviceFor(config),
  };
}

/** Queue: the rendered answer in the outbox, under the reply caps, and handed to the mailer. */
async function queue(
  deps: AcknowledgeDeps,
  msg: StoredMessage,
  { campaign, references, settled }: { campaign: Campaign; references: string; settled: MessageSettlement },
  answer: { to: string; minimal: boolean; replyToIgnored: string | null; view: AcknowledgementView },
  log: Logger,
): Promise<AcknowledgeOutcome> {
  const rendered = deps.renderer.render('acknowledgement', answer.view);
  // A mail that still lacks its form gets the blank one, as a reminder does.
  const files = answer.view.blankForm ? [await blankForm(deps.renderer, answer.view.blankForm)] : [];
  const caps = replyCaps(!answer.minimal, deps.config);
  const recipient = recipientKey(answer.to);
  const since = (cap: { windowMs: number }) => new Date(deps.clock.now().getTime() - cap.windowMs);
  const queued = await queueLetter(
    deps,
    {
      kind: 'acknowledgement',
      dedupeKey: `ack-${msg.id}`,
      to: [answer.to],
      rendered,
      origin: 'auto-replied',
      replyTo: msg.message_id ? { messageId: msg.message_id, references } : null,
      messageId: msg.id,
      agencyId: msg.agency_id,
      campaignId: campaign?.id ?? null,
      files,
    },
    {
      recipient: { key: recipient.key, since: since(caps.perAddress), max: caps.perAddress.max },
      ...(caps.perDomain
        ? { domain: { name: recipient.domain, since: since(caps.perDomain), max: caps.perDomain.max } }
        : {}),
      ...(caps.outsideRegistry
        ? { outsideRegistry: { since: since(caps.outsideRegistry), max: caps.outsideRegistry.max } }
        : {}),
    },
    settled,
  );
  if ('limited' in queued) {
    // Settled with the reason, in the outbox's transaction.
    log.info({ reason: 'rate_limited' }, 'no acknowledgement');
    return { status: 'not_sent', reason: 'rate_limited' };
  }
  if (answer.replyToIgnored) log.info({ replyTo: answer.replyToIgnored }, 'reply-to not used');
  log.info({ outboxId: queued.id, to: answer.to }, 'acknowledgement queued');
  return { status: 'sent', outboxId: queued.id };
}

/** The office's own addresses, never answered: the configured ones and the campaign's inbox. */
export function ownAddressesFor(config: Config, campaign: { inbox_address: string | null } | undefined) {
  return [...ownAddresses(config), campaign?.inbox_address ?? ''].filter(Boolean);
}

/**
 * Whether, and to whom, a stored message may be answered (`decideReply` over what was decided when it was
 * stored), and the `References` of a reply in its thread. A message stored before the reply decision was kept
 * has its headers read again.
 */
export async function replyFor(
  msg: StoredMessage,
  facts: Pick<ReplyFacts, 'own' | 'trust' | 'now' | 'maxAgeDays'>,
): Promise<{ decision: ReplyDecision; references: string }> {
  const incoming = msg.no_reply_reason === null && msg.head ? await readHeaders(msg.head) : null;
  const decision = decideReply({
    ...facts,
    storedNoReplyReason: msg.no_reply_reason,
    guardReason: incoming ? replyBlocked(incoming, facts.own) : null,
    isAutomatic: msg.is_automatic,
    from: msg.from_address,
    replyTo: msg.reply_to,
    registrySender: msg.agency_id !== null,
    receivedAt: msg.received_at,
  });
  const references =
    msg.references ??
    [...(incoming?.references ?? []), ...(msg.message_id ? [msg.message_id] : [])].join(' ');
  return { decision, references };
}

/**
 * The headers of a message stored before the reply decision was kept, read again. The MIME reader is loaded for
 * such messages alone: the parser process, which answers every message, otherwise never needs it.
 */
async function readHeaders(head: Buffer) {
  const { headerBlock, parseIncomingMessage } = await import('../../mail/incoming-message.js');
  return parseIncomingMessage(headerBlock(head));
}

async function notSent(
  deps: AcknowledgeDeps,
  settled: MessageSettlement & { noReplyReason: string },
  log: Logger,
): Promise<AcknowledgeOutcome> {
  // Kept on the message, so staff can see that (and why) the sender was not answered.
  await settleMessage(deps.db, settled);
  const reason = settled.noReplyReason;
  log.info({ reason }, 'no acknowledgement');
  return { status: 'not_sent', reason };
}
