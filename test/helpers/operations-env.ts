import { join } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { type Config, loadConfig } from '../../src/config.js';
import { type Ingested, ingestMessage } from '../../src/imap/ingest-message.js';
import { acknowledgeMessageJob } from '../../src/jobs/acknowledge-message.job.js';
import { type JobDeps, systemClock } from '../../src/jobs/job-deps.js';
import { parseAttachmentJob } from '../../src/jobs/parse-attachment.job.js';
import { replayFileJob } from '../../src/jobs/replay-file.job.js';
import { createLogger } from '../../src/logger.js';
import { MailRenderer } from '../../src/mail/render.js';
import type { MailTransport } from '../../src/mail/transport.js';
import { defaultDataFiles, projectRoot } from '../../src/ops/project-root.js';
import type { ParseOutcome } from '../../src/parser/parse-form.js';
import type { ParserPool } from '../../src/parser/parser-pool.js';
import { REPLAY_JOB } from '../../src/queue/queues.js';
import { openParserPool } from '../../src/registry/intake/replay-attachment.js';
import { importAgencyRegistry, loadCampaignFile } from '../../src/registry/reference/registry-files.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { InMemoryQueues, type QueuedJob } from './in-memory-queues.js';

/** No mail leaves the operations tier: what the acknowledgement would send waits in the outbox. */
const noTransport: MailTransport = {
  send: async () => {
    throw new Error('the operations tier sends no mail: read the outbox instead');
  },
  close: () => undefined,
};

/**
 * The registry's operations on PostgreSQL alone, for one test file: a database of its own with the 2021 campaign
 * and agency registry loaded, and mail taken in as the poller and the parser process take it, without IMAP,
 * Redis or SMTP. `receive(raw)` stores a mail with the intake's own `ingestMessage`, then runs the jobs it queued
 * with the job handlers themselves (parse-attachment.job.ts: `parseAttachment`, which records the reading with
 * `recordParseResult`, then `acknowledgeMessage`), in memory: the message ends settled, its files recorded, its
 * acknowledgement in the outbox (not sent).
 */
export class OperationsEnv {
  config!: Config;
  database!: TestDatabase;
  /** The queues the code under test adds to, in memory (mail waits in the outbox: the mailer is not run). */
  readonly queued = new InMemoryQueues();
  readonly renderer = new MailRenderer(join(projectRoot(), 'templates'));
  private pool: ParserPool | null = null;
  private readonly readings = new Map<string, ParseOutcome>();
  private uid = 0;
  private jobDeps: JobDeps | null = null;

  constructor(
    private readonly label: string,
    private readonly overrides: Record<string, string> = {},
  ) {}

  async setUp(): Promise<void> {
    this.database = await createTestDatabase(this.label);
    await loadCampaignFile(this.database.db, defaultDataFiles().campaign);
    await importAgencyRegistry(this.database.db, defaultDataFiles().registry);
    this.config = loadConfig({
      DATABASE_URL: this.database.url,
      DATABASE_POOL_SIZE: '4',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...this.overrides,
    });
  }

  get db() {
    return this.database.db;
  }

  /** What the jobs and the registry's operations are given (the acknowledgement's, a resend request's…). */
  get deps(): JobDeps {
    this.jobDeps ??= {
      config: this.config,
      db: this.database.db,
      log: createLogger(this.config).child({ component: this.label }),
      queues: this.queued.queues,
      renderer: this.renderer,
      transport: noTransport,
      clock: systemClock,
    };
    return this.jobDeps;
  }

  /**
   * The parser the jobs use: the parser pool (one child process), except for a file given a reading with
   * `readAs`, which is recorded as that reading.
   */
  get parser(): ParserPool {
    this.pool ??= openParserPool(this.config, 1);
    const pool = this.pool;
    return {
      parse: async (bytes, filename, options) =>
        this.readings.get(filename) ?? pool.parse(bytes, filename, options),
      stopped: () => pool.stopped(),
      close: () => pool.close(),
    };
  }

  /** Record every file named `filename` from now on as this reading (a ParsedForm, or a rejection), unparsed. */
  readAs(filename: string, outcome: ParseOutcome): void {
    this.readings.set(filename, outcome);
  }

  /**
   * Store a mail as the poller does (the next UID of the inbox, arrived at `receivedAt`, default now), and
   * queue its jobs, without running them: its files stay pending until `runJobs()`.
   */
  store(raw: Buffer, receivedAt = new Date()): Promise<Ingested> {
    this.uid += 1;
    return ingestMessage({ db: this.db, queues: this.queued.queues, config: this.config }, raw, {
      mailbox: this.config.IMAP_MAILBOX,
      uidvalidity: '1',
      uid: this.uid,
      internalDate: receivedAt,
    });
  }

  /** Store a mail and run what it queued: its files parsed and recorded, the message settled and answered. */
  async receive(raw: Buffer, receivedAt?: Date): Promise<Ingested> {
    const stored = await this.store(raw, receivedAt);
    await this.runJobs();
    return stored;
  }

  /**
   * Run every waiting job as the parser process would, oldest first: a message's only file parsed and then the
   * message answered in one job; a flow's files in parallel, then its acknowledgement once all have ended
   * (failed or not); each job retried up to JOB_ATTEMPTS times. Mail for the mailer stays queued. Throws, after
   * running everything, if a job failed for good.
   */
  async runJobs(): Promise<void> {
    const failed: unknown[] = [];
    for (let job = this.next(); job; job = this.next()) {
      await this.run(job);
      for (const j of [job, ...job.children]) if (j.state === 'failed') failed.push(j.error);
    }
    if (failed.length > 0) throw new AggregateError(failed, `${failed.length} job(s) failed`);
  }

  /** The outbox rows queued for the mailer (the acknowledgement of each message, a resend request…). */
  outbox() {
    return this.db.selectFrom('outbox').selectAll().orderBy('id').execute();
  }

  /** The acknowledgement of a mail, by its Message-ID header, as it waits in the outbox to be sent. */
  acknowledgementOf(messageIdHeader: string) {
    return this.db
      .selectFrom('outbox')
      .innerJoin('messages', 'messages.id', 'outbox.message_id')
      .select(['outbox.subject', 'outbox.text', 'outbox.html', 'outbox.to_addresses'])
      .where('outbox.kind', '=', 'acknowledgement')
      .where('messages.message_id', '=', messageIdHeader)
      .executeTakeFirstOrThrow();
  }

  async tearDown(): Promise<void> {
    await this.pool?.close();
    await this.database?.drop();
  }

  private next(): QueuedJob | undefined {
    return this.queued.waiting().find((j) => j.queue === 'parse' || j.queue === 'acknowledge');
  }

  private async run(job: QueuedJob): Promise<void> {
    // A flow's children run in parallel, as the parse workers take them; the parent after all have ended.
    await Promise.all(job.children.map((child) => this.run(child)));
    const max = this.config.JOB_ATTEMPTS;
    for (let made = 0; made < max; made++) {
      try {
        await this.handle(job, { made, max });
        job.state = 'done';
        return;
      } catch (err) {
        job.error = err;
        if (err instanceof UnrecoverableError) break;
      }
    }
    job.state = 'failed';
  }

  private handle(job: QueuedJob, attempt: { made: number; max: number }): Promise<unknown> {
    const deps = this.deps;
    if (job.queue === 'acknowledge') return acknowledgeMessageJob(job.data, deps);
    if (job.queue === 'parse' && job.name === REPLAY_JOB)
      return replayFileJob(job.data, { ...deps, parser: this.parser });
    if (job.queue === 'parse') return parseAttachmentJob(job.data, { ...deps, parser: this.parser }, attempt);
    throw new Error(`no handler here for the ${job.queue} queue`);
  }
}
