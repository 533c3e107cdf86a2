import { randomBytes } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { type Config, loadConfig } from '../../src/config.js';
import { MailboxPoller } from '../../src/imap/poller.js';
import { type RunningMailer, startMailer } from '../../src/jobs/mailer-worker.js';
import { startParserWorkers } from '../../src/jobs/parser-workers.js';
import type { RunningWorkers } from '../../src/jobs/worker-base.js';
import { defaultDataFiles } from '../../src/ops/project-root.js';
import { openRuntime, type Runtime } from '../../src/ops/runtime.js';
import { importAgencyRegistry, loadCampaignFile } from '../../src/registry/reference/registry-files.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createImapUser, imapClient, imapPort, removeImapUser } from './imap.js';
import { SmtpCapture } from './smtp-capture.js';
import { waitFor } from './wait-for.js';

/**
 * The whole pipeline for one test file, on the real local services: a database, a BullMQ prefix, an IMAP
 * user and an SMTP capture server of its own, the 2021 campaign and registry loaded, and in-process poller,
 * parser and mailer.
 */
export class PipelineEnv {
  config!: Config;
  runtime!: Runtime;
  database!: TestDatabase;
  smtp = new SmtpCapture();
  imap!: ImapFlow;
  poller: MailboxPoller | null = null;
  private parser: RunningWorkers | null = null;
  private mailer: RunningMailer | null = null;
  imapUser!: { user: string; password: string };
  private imapPortNumber = 0;

  /** Set up, then run a poller and the workers with their defaults: the pipeline as deployed. */
  async start(): Promise<void> {
    await this.setUp();
    this.startPoller();
    this.startWorkers();
  }

  /** The variables the processes are configured with (for child processes too). */
  env: Record<string, string> = {};

  constructor(
    private readonly label: string,
    private readonly overrides: Record<string, string> = {},
    private readonly services?: { databaseUrl: string; redisUrl: string; imapPort: number; dir: string },
  ) {}

  async setUp(): Promise<void> {
    this.database = await createTestDatabase(this.label, { baseUrl: this.services?.databaseUrl });
    await loadCampaignFile(this.database.db, defaultDataFiles().campaign);
    await importAgencyRegistry(this.database.db, defaultDataFiles().registry);
    await this.smtp.start();
    this.imapUser = createImapUser(this.label, this.services?.dir);
    const imapPortNumber = this.services?.imapPort ?? imapPort();
    this.imapPortNumber = imapPortNumber;
    this.env = {
      DATABASE_URL: this.database.url,
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: this.services?.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6390',
      QUEUE_PREFIX: `t-${this.label}-${randomBytes(3).toString('hex')}`,
      IMAP_PORT: String(imapPortNumber),
      IMAP_USER: this.imapUser.user,
      IMAP_PASSWORD: this.imapUser.password,
      IMAP_POLL_INTERVAL_SECONDS: '2',
      SMTP_PORT: String(this.smtp.port),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PARSE_CONCURRENCY: '2',
      ...this.overrides,
    };
    this.config = loadConfig(this.env);
    this.runtime = openRuntime(this.config, this.label);
    this.imap = await imapClient(this.imapUser.user, this.imapUser.password, imapPortNumber);
  }

  startPoller(options: ConstructorParameters<typeof MailboxPoller>[1] = {}): MailboxPoller {
    this.poller = new MailboxPoller(this.runtime, { lockTtlMs: 3000, ...options });
    this.poller.start();
    return this.poller;
  }

  /** Start the parser and mailer workers; their sweeps run every 2 s and 1 s unless `sweepEveryMs` says. */
  startWorkers({
    parser = true,
    mailer = true,
    sweepEveryMs,
  }: {
    parser?: boolean;
    mailer?: boolean;
    sweepEveryMs?: number;
  } = {}): void {
    if (parser) this.parser = startParserWorkers(this.runtime.redis, this.runtime, sweepEveryMs ?? 2000);
    if (mailer) this.mailer = startMailer(this.runtime, { sweepEveryMs: sweepEveryMs ?? 1000 });
  }

  /** Put raw mail into the inbox as a delivery would (at `receivedAt`, default now); returns its UID. */
  async deliver(raw: Buffer, receivedAt?: Date): Promise<number> {
    const r = await (await this.usableImap()).append(this.config.IMAP_MAILBOX, raw, [], receivedAt);
    return r ? (r.uid ?? 0) : 0;
  }

  /** Put several mails into the inbox, in order; returns their UIDs (to `settle` on). */
  async deliverAll(raws: readonly Buffer[], receivedAt?: Date): Promise<number[]> {
    const uids: number[] = [];
    for (const raw of raws) uids.push(await this.deliver(raw, receivedAt));
    return uids;
  }

  /** Deliver one mail and wait until it, and everything it started, is handled (stored, parsed, answered). */
  async deliverAndSettle(raw: Buffer, receivedAt?: Date, timeoutMs?: number): Promise<void> {
    await this.settle([await this.deliver(raw, receivedAt)], timeoutMs);
  }

  /** Deliver several mails, in order, and wait until all of them are handled. */
  async deliverAllAndSettle(raws: readonly Buffer[], timeoutMs?: number, receivedAt?: Date): Promise<void> {
    await this.settle(await this.deliverAll(raws, receivedAt), timeoutMs);
  }

  /**
   * Wait for these mails, not for a count of mails: each has been taken from the inbox (moved, or flagged
   * `$Processed` with IMAP_AFTER_PROCESSING=flag), then everything they started has settled.
   */
  async settle(uids: readonly number[], timeoutMs = 60_000): Promise<void> {
    if (uids.some((uid) => !(uid > 0))) throw new Error('a mail without its UID cannot be followed');
    await waitFor(
      async () => {
        const imap = await this.usableImap();
        const lock = await imap.getMailboxLock(this.config.IMAP_MAILBOX).catch(() => null);
        if (!lock) return false; // the server closed the session (a new UIDVALIDITY): asked again, anew
        try {
          // A session sees another's moves only once told of them: NOOP lets the server say so.
          await imap.noop();
          const left = await imap.search({ uid: uids.join(','), unKeyword: '$Processed' }, { uid: true });
          return Array.isArray(left) && left.length === 0;
        } catch {
          return false;
        } finally {
          lock.release();
          // Unselected again, so that nothing the server does to the mailbox (a new UIDVALIDITY) ends the session.
          await imap.mailboxClose().catch(() => undefined);
        }
      },
      { timeoutMs, what: `mails ${uids.join(',')} to be taken from the inbox` },
    );
    await this.waitForIdle(timeoutMs);
  }

  /** The test's own IMAP session, connected again if the server closed it (a restart, a new UIDVALIDITY). */
  private async usableImap(): Promise<ImapFlow> {
    if (!this.imap.usable) {
      await this.imap.logout().catch(() => undefined);
      this.imap = await imapClient(this.imapUser.user, this.imapUser.password, this.imapPortNumber);
    }
    return this.imap;
  }

  /** Nothing left to do: every message stored has settled, every attachment is terminal, the outbox is empty. */
  async waitForIdle(timeoutMs = 60_000): Promise<void> {
    const db = this.database.db;
    await waitFor(
      async () => {
        const messages = await db.selectFrom('messages').select(['state']).execute();
        const pendingAttachments = await db
          .selectFrom('attachments')
          .select('id')
          .where('state', '=', 'pending')
          .execute();
        const pendingMail = await db
          .selectFrom('outbox')
          .select('id')
          .where('status', '<>', 'sent')
          .execute();
        // A message's answer waits in the acknowledge queue, or (its only file) in its parse job.
        let queued = 0;
        for (const queue of [this.runtime.queues.acknowledge, this.runtime.queues.parse]) {
          const counts = await queue.getJobCounts('waiting', 'active', 'waiting-children', 'delayed');
          queued += Object.values(counts).reduce((a, b) => a + b, 0);
        }
        return (
          messages.every((m) => m.state !== 'received') &&
          pendingAttachments.length === 0 &&
          pendingMail.length === 0 &&
          queued === 0
        );
      },
      { timeoutMs, what: 'the pipeline to be idle' },
    );
  }

  async tearDown(): Promise<void> {
    await this.poller?.close();
    await this.parser?.close();
    await this.mailer?.close();
    await this.imap?.logout().catch(() => undefined);
    if (this.runtime) {
      await this.runtime.queues.parse.obliterate({ force: true }).catch(() => undefined);
      await this.runtime.queues.acknowledge.obliterate({ force: true }).catch(() => undefined);
      await this.runtime.close();
    }
    await this.smtp.stop();
    await this.database?.drop();
    if (this.imapUser) removeImapUser(this.imapUser.user, this.services?.dir);
  }
}
