import { listen } from '../db/listen.js';
import { nextOutboxDue } from '../db/outbox.repository.js';
import { asError } from '../errors.js';
import { type MailOutcome, type SendDeps, sendDueMail } from '../registry/letters/send-due-mail.js';
import { WakeTimes } from './wake-times.js';

export interface RunningMailer {
  /** False once a pass has failed and the next has not yet succeeded (the database away, say). */
  isRunning(): boolean;
  close(): Promise<void>;
}

export interface MailerOptions {
  /** The longest the mailer waits without looking at the outbox, notified or not (a safety net). */
  sweepEveryMs?: number;
  /** Each mail's outcome, for the process's metrics. */
  onMail?: (outcome: MailOutcome) => void;
}

// Mails claimed at once: enough to keep every SMTP connection busy between two claims.
const BATCH_PER_CONNECTION = 8;
// How long a notified mailer waits before it looks: mails committed meanwhile (a flood of answers) are claimed by
// one statement with it instead of one each. Nobody notices 20 ms on an email.
const GATHER_MS = 20;

/**
 * The mailer: sends what the outbox holds. Each statement that adds mail notifies (NOTIFY outbox_added, at its
 * commit) and the mailer sends what is due at once, batch after batch until nothing is; a mail put off after a
 * failed attempt is sent when its time comes; and the outbox is looked at every `sweepEveryMs` and whenever the
 * listening connection is made again. The outbox is the only record: nothing is queued elsewhere, so neither a
 * Redis loss nor a mailer's death loses or doubles a mail (a dead mailer's claims end with its connection).
 */
export function startMailer(
  deps: SendDeps & { config: { DATABASE_URL: string } },
  opts: MailerOptions = {},
): RunningMailer {
  const sweepEveryMs = opts.sweepEveryMs ?? 60_000;
  const batch = BATCH_PER_CONNECTION * deps.config.MAIL_CONCURRENCY;
  let closed = false;
  let healthy = true;
  let wanted = false;
  let draining: Promise<void> | null = null;
  // When mails this process put off are due (each retry: a later one is not forgotten), and the safety net.
  const wakeTimes = new WakeTimes(() => wake(), sweepEveryMs);

  const drain = async () => {
    while (wanted && !closed) {
      wanted = false;
      try {
        // Batch after batch until one is not full; mails another sender holds are passed over in this pass.
        const skip: string[] = [];
        for (;;) {
          const done = await sendDueMail(deps, batch, {
            skip,
            ...(opts.onMail ? { onMail: opts.onMail } : {}),
            stopping: () => closed,
          });
          for (const at of done.retry) wakeTimes.at(at.getTime());
          skip.push(...done.inHand);
          healthy = true;
          if (done.sent + done.failed + done.retry.length + done.inHand.length < batch || closed) break;
        }
      } catch (err) {
        healthy = false;
        deps.log.warn({ err: asError(err) }, 'the outbox could not be read; trying again shortly');
        wakeTimes.at(Date.now() + 1000);
      }
    }
  };

  let gathering: NodeJS.Timeout | undefined;
  const wake = () => {
    wanted = true;
    if (draining || gathering || closed) return;
    gathering = setTimeout(start, GATHER_MS);
  };
  const start = () => {
    gathering = undefined;
    if (draining || closed) return;
    draining = drain().finally(() => {
      draining = null;
      // Notified after the last look but before this: look again.
      if (wanted) wake();
      // The safety net: whatever happens, the outbox is looked at again within sweepEveryMs.
      else wakeTimes.arm();
    });
  };

  // A mail put off by an earlier process is due at a time only the outbox knows.
  nextOutboxDue(deps.db).then(
    (at) => at && wakeTimes.at(at.getTime()),
    (err: unknown) => deps.log.warn({ err: asError(err) }, 'the next due mail could not be read'),
  );
  const listening = listen(deps.config.DATABASE_URL, 'outbox_added', wake, deps.log);

  return {
    isRunning: () => healthy && !closed,
    async close() {
      closed = true;
      wakeTimes.stop();
      clearTimeout(gathering);
      await listening.close();
      // Mails in hand are finished and recorded before the process goes.
      await draining;
    },
  };
}
