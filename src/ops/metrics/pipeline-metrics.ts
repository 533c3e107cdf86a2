import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the poller counts of itself (MailboxPoller's own tallies, read at each scrape). */
export interface PollerTallies {
  readonly stored: number;
  readonly setAsideCount: number;
  readonly holdsLock: boolean;
}

/** Counter that follows a tally kept elsewhere: it adds what the tally grew by since the last scrape. */
function followingCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  let seen = 0;
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > seen) this.inc(now - seen);
      seen = Math.max(seen, now);
    },
  });
}

/** The poller process: messages stored, messages set aside after repeated failures, whether it holds the lock. */
export function registerPollerMetrics(registry: Registry, poller: PollerTallies): void {
  followingCounter(
    registry,
    'reform_messages_stored_total',
    'Messages this poller stored and queued (a message seen again is not counted twice)',
    () => poller.stored,
  );
  followingCounter(
    registry,
    'reform_messages_set_aside_total',
    'Messages this poller could not store after repeated attempts and moved to the review folder',
    () => poller.setAsideCount,
  );
  new Gauge({
    name: 'reform_poller_lock_held',
    help: '1 while this poller holds the mailbox lock and works the mailbox; 0 while it stands by',
    registers: [registry],
    collect() {
      this.set(poller.holdsLock ? 1 : 0);
    },
  });
}

export interface ParserMetrics {
  parseDuration: Histogram;
  arrivalToCommitted: Histogram;
  filesRefused: Counter<'code'>;
}

/** The parser process: how long parsing takes, how long a file waits from arrival to its recorded result. */
export function registerParserMetrics(registry: Registry): ParserMetrics {
  return {
    parseDuration: new Histogram({
      name: 'reform_parse_duration_seconds',
      help: 'Time spent reading one attachment (parsed or refused), as the parse job recorded it',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    arrivalToCommitted: new Histogram({
      name: 'reform_arrival_to_committed_seconds',
      help: 'From the mail server receiving a message to the result of its attachment committed in the registry',
      buckets: [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600],
      registers: [registry],
    }),
    filesRefused: new Counter({
      name: 'reform_files_refused_total',
      help: 'Attachments refused, by reason code (too_large, macro_enabled, corrupt_file, ...)',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}

export interface MailerMetrics {
  mailsSent: Counter;
  mailsFailed: Counter;
}

/** The mailer process: mails handed to SMTP, and mails given up after the last retry. */
export function registerMailerMetrics(registry: Registry): MailerMetrics {
  return {
    mailsSent: new Counter({
      name: 'reform_mails_sent_total',
      help: 'Outbox mails accepted by the SMTP server',
      registers: [registry],
    }),
    mailsFailed: new Counter({
      name: 'reform_mails_failed_total',
      help: 'Outbox mails finally failed: every retry used up, or refused for good',
      registers: [registry],
    }),
  };
}

export interface JobMetrics {
  jobsCompleted: Counter<'queue'>;
  jobsFailed: Counter<'queue' | 'final'>;
}

/** Every process that works BullMQ jobs: jobs done, and failed attempts (final="true": no retry left). */
export function registerJobMetrics(registry: Registry): JobMetrics {
  return {
    jobsCompleted: new Counter({
      name: 'reform_jobs_completed_total',
      help: 'Jobs this process completed, by queue',
      labelNames: ['queue'],
      registers: [registry],
    }),
    jobsFailed: new Counter({
      name: 'reform_jobs_failed_total',
      help: 'Job attempts that failed in this process, by queue; final="true" when no retry is left',
      labelNames: ['queue', 'final'],
      registers: [registry],
    }),
  };
}
