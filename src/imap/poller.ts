import { once } from 'node:events';
import type { ImapFlow } from 'imapflow';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import {
  advanceLastSeen,
  getMailboxState,
  markImapSetAside,
  recordImapFailure,
  recordPoll,
  resetMailboxState,
} from '../db/mailbox.repository.js';
import { asError, isConnectionError } from '../errors.js';
import type { Logger } from '../logger.js';
import { withoutNul } from '../mail/clean-header.js';
import { storableDate } from '../mail/incoming-message.js';
import { pause, sleep } from '../pause.js';
import type { Queues } from '../queue/queues.js';
import { failureDisposition } from './failure-disposition.js';
import { createImapClient } from './imap-client.js';
import {
  type Ingested,
  ingestMessage,
  ingestOversized,
  isContentError,
  type MailboxPosition,
  MessageNotStorable,
} from './ingest-message.js';
import { MailboxLock } from './mailbox-lock.js';

export interface PollerDeps {
  config: Config;
  db: Database;
  redis: Redis;
  queues: Queues;
  log: Logger;
  /** How a client is made; tests may wrap it. */
  createClient?: (config: Config) => ImapFlow;
  /** How a downloaded message is stored and queued (ingestMessage unless a test replaces it). */
  ingest?: typeof ingestMessage;
}

export interface PollerOptions {
  /** Lock time-to-live: a dead poller's lock passes to another within this time. */
  lockTtlMs?: number;
  /** Attempts at one IMAP message before it is set aside in the review folder. */
  maxMessageAttempts?: number;
  /** Longest a pass over the mailbox may take before the connection is taken for dead. */
  passTimeoutMs?: number;
}

/** Messages handled per round of FETCH and MOVE commands. */
const BATCH = 25;
/** Bodies fetched by one FETCH: as many as fit in this many bytes (at least one), at most PREFETCH_COUNT. */
const PREFETCH_BYTES = 8 * 1024 * 1024;
const PREFETCH_COUNT = 10;

type MailboxBox = { mailbox: string; uidvalidity: string };
type MessageMeta = { size: number; internalDate: Date };

/** What a run of messages came to: the folder each goes to, those set aside, how far the inbox is handled. */
class BatchOutcome {
  readonly toFile = new Map<string, number[]>();
  readonly setAsideUids: number[] = [];
  /** Every UID up to this one is handled. */
  done = 0;
  // A message to try again on a later pass holds `done` back; the messages after it are still handled now.
  private heldBack = false;

  /** Nothing to do with this message (gone, or older than the first start takes). */
  pass(uid: number): void {
    if (!this.heldBack) this.done = uid;
  }

  file(uid: number, folder: string): void {
    this.toFile.set(folder, [...(this.toFile.get(folder) ?? []), uid]);
    this.pass(uid);
  }

  setAside(uid: number, folder: string): void {
    this.setAsideUids.push(uid);
    this.file(uid, folder);
  }

  retryLater(): void {
    this.heldBack = true;
  }
}

/**
 * Watches one mailbox: holds the mailbox lock, then takes every message after the last one handled, stores it,
 * queues its work, and only then moves it to the Processed (or Needs review) folder. Waits in IDLE and also
 * polls on an interval; a pass that hangs or a dropped connection means a new connection, after a backoff.
 */
export class MailboxPoller {
  private client: ImapFlow | null = null;
  private readonly stop = new AbortController();
  private wake: (() => void) | null = null;
  private newMail = false;
  private readonly lock: MailboxLock;
  private readonly log: Logger;
  private running: Promise<void> | null = null;
  /** Messages stored by this poller (for logs and tests). */
  stored = 0;
  /** Messages this poller set aside after repeated failures (for metrics). */
  setAsideCount = 0;

  constructor(
    private readonly deps: PollerDeps,
    private readonly options: PollerOptions = {},
  ) {
    const { config } = deps;
    this.log = deps.log.child({ component: 'poller', mailbox: config.IMAP_MAILBOX });
    this.lock = new MailboxLock(
      deps.redis,
      `${config.QUEUE_PREFIX}:poller-lock:${config.IMAP_USER}@${config.IMAP_HOST}:${config.IMAP_MAILBOX}`,
      options.lockTtlMs ?? config.IMAP_LOCK_TTL_SECONDS * 1000,
      () => {
        this.log.warn('mailbox lock lost; standing by');
        this.dropClient();
        this.wake?.();
      },
    );
  }

  get holdsLock(): boolean {
    return this.lock.isHeld;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stop after the message in hand; close the IMAP session and release the lock. */
  async close(): Promise<void> {
    this.stop.abort();
    this.wake?.();
    await this.running;
    await this.lock.release();
  }

  private async loop(): Promise<void> {
    const { config } = this.deps;
    const intervalMs = config.IMAP_POLL_INTERVAL_SECONDS * 1000;
    let backoffMs = 1000;
    while (!this.stop.signal.aborted) {
      if (!this.lock.isHeld && !(await this.lock.tryAcquire().catch(() => false))) {
        // Another poller works this mailbox: wait and try again (it may die).
        await sleep(
          Math.max(250, (this.options.lockTtlMs ?? config.IMAP_LOCK_TTL_SECONDS * 1000) / 3),
          this.stop.signal,
        );
        continue;
      }
      try {
        // Watchdog: an IDLE connection can die without a word; a NOOP round trip proves it alive.
        if (this.client) await this.withTimeout(this.client.noop(), 15_000);
        await this.withTimeout(this.pass(), this.options.passTimeoutMs ?? 2 * 60_000);
        backoffMs = 1000;
        await this.idleUntilWoken(intervalMs);
      } catch (err) {
        if (this.stop.signal.aborted) break;
        this.log.warn({ err: asError(err), retryInMs: backoffMs }, 'mailbox pass failed; reconnecting');
        this.dropClient();
        await sleep(backoffMs, this.stop.signal);
        backoffMs = Math.min(backoffMs * 2, 60_000);
      }
    }
    await this.logout();
  }

  private async withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`mailbox pass took over ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async connected(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    this.dropClient();
    const client = (this.deps.createClient ?? createImapClient)(this.deps.config);
    client.on('error', (err: Error) => this.log.warn({ err }, 'IMAP connection error'));
    client.on('close', () => {
      if (this.client === client) this.client = null;
      this.wake?.();
    });
    client.on('exists', () => {
      // New mail may arrive in the middle of a pass: remember it, so the next wait is skipped.
      this.newMail = true;
      this.wake?.();
    });
    await client.connect();
    this.client = client;
    await this.ensureFolders(client);
    this.log.info('connected to the mailbox');
    return client;
  }

  private async ensureFolders(client: ImapFlow): Promise<void> {
    const { config } = this.deps;
    const existing = new Set((await client.list()).map((f) => f.path));
    for (const folder of [config.IMAP_PROCESSED_FOLDER, config.IMAP_REVIEW_FOLDER]) {
      if (!existing.has(folder)) await client.mailboxCreate(folder).catch(() => undefined);
    }
  }

  /** One pass: every message after the last one handled, oldest first, one at a time. */
  private async pass(): Promise<void> {
    const { config, db } = this.deps;
    const client = await this.connected();
    this.newMail = false;
    const box = await client.mailboxOpen(config.IMAP_MAILBOX);
    const uidvalidity = String(box.uidValidity);
    let state = await getMailboxState(db, config.IMAP_MAILBOX);
    const firstStart = !state;
    if (!state || state.uidvalidity !== uidvalidity) {
      // A new mailbox, or its UIDs were renumbered: read it all again. Stored mail is recognised by its
      // Message-ID (or bytes), so this neither loses nor doubles anything.
      if (state)
        this.log.warn({ was: state.uidvalidity, now: uidvalidity }, 'UIDVALIDITY changed; rescanning');
      await resetMailboxState(db, config.IMAP_MAILBOX, uidvalidity);
      state = await getMailboxState(db, config.IMAP_MAILBOX);
    }
    const lastSeen = Number(state?.last_seen_uid ?? 0);
    // List first, then fetch one at a time: no IMAP command may run inside a fetch() iterator.
    const found = (await client.search({ uid: `${lastSeen + 1}:*` }, { uid: true })) || [];
    const uids = found.filter((u) => u > lastSeen).sort((a, b) => a - b);
    const since =
      firstStart && config.IMAP_INITIAL_SCAN !== 'all'
        ? new Date(`${config.IMAP_INITIAL_SCAN}T00:00:00Z`)
        : null;
    for (let i = 0; i < uids.length; i += BATCH) {
      if (this.stop.signal.aborted || !this.lock.isHeld) return;
      await this.handleBatch(
        client,
        { mailbox: config.IMAP_MAILBOX, uidvalidity },
        uids.slice(i, i + BATCH),
        since,
      );
    }
    await recordPoll(db, config.IMAP_MAILBOX, this.lock.owner);
  }

  /**
   * A run of messages: their sizes and dates in one FETCH (read in full before any other command), then each
   * stored and queued in turn, then moved out of the inbox together — only those whose storing committed.
   */
  private async handleBatch(
    client: ImapFlow,
    box: MailboxBox,
    uids: number[],
    since: Date | null,
  ): Promise<void> {
    const metas = await this.sizesAndDates(client, uids);
    const body = this.bodyReader(client, uids, metas, since);
    const outcome = new BatchOutcome();
    for (const [index, uid] of uids.entries()) {
      const meta = metas.get(uid);
      // Gone (moved or expunged by someone else), or older than the first start takes: nothing to do.
      if (!meta || (since && meta.internalDate < since)) {
        outcome.pass(uid);
        continue;
      }
      const at = { ...box, uid, internalDate: meta.internalDate };
      await this.handleMessage(client, at, meta.size, () => body(index, uid), outcome);
    }
    await this.flush(client, box, outcome);
  }

  /** The size and arrival time of each message of a run, in one FETCH. */
  private async sizesAndDates(client: ImapFlow, uids: number[]): Promise<Map<number, MessageMeta>> {
    const metas = new Map<number, MessageMeta>();
    for await (const m of client.fetch(
      uids.join(','),
      { uid: true, size: true, internalDate: true },
      { uid: true },
    )) {
      const date = m.internalDate instanceof Date ? m.internalDate : new Date(m.internalDate ?? Date.now());
      // The arrival time is stored (timestamptz): a server's nonsense date becomes the time it was read.
      metas.set(m.uid, { size: m.size ?? 0, internalDate: storableDate(date) ?? new Date() });
    }
    return metas;
  }

  /**
   * Reads the body of the message at `index` of the run. Bodies are fetched a few at a time, one FETCH for
   * several small messages (one per message was a visible share of the poller's and Dovecot's work under a
   * flood), never more than PREFETCH_BYTES held at once; a message not among them is fetched on its own.
   */
  private bodyReader(
    client: ImapFlow,
    uids: number[],
    metas: Map<number, MessageMeta>,
    since: Date | null,
  ): (index: number, uid: number) => Promise<Buffer | undefined> {
    const { config } = this.deps;
    const bodies = new Map<number, Buffer>();
    const prefetch = async (from: number) => {
      const chunk: number[] = [];
      let bytes = 0;
      for (const uid of uids.slice(from)) {
        const meta = metas.get(uid);
        if (!meta || meta.size > config.MAX_MESSAGE_BYTES || (since && meta.internalDate < since)) continue;
        if (chunk.length > 0 && (bytes + meta.size > PREFETCH_BYTES || chunk.length >= PREFETCH_COUNT)) break;
        chunk.push(uid);
        bytes += meta.size;
      }
      if (chunk.length <= 1) return;
      // At most the limit (+1 byte, to notice a server that understated the size) of each message; the bytes
      // actually received count toward the bound, not the sizes the server announced.
      let held = 0;
      try {
        for await (const m of client.fetch(
          chunk.join(','),
          { uid: true, source: { start: 0, maxLength: config.MAX_MESSAGE_BYTES + 1 } },
          { uid: true },
        )) {
          if (!m.source || (held > 0 && held + m.source.length > PREFETCH_BYTES)) continue;
          bodies.set(m.uid, m.source);
          held += m.source.length;
        }
      } catch (err) {
        // The FETCH of several failed: each message is fetched on its own below, so a message the server cannot
        // return is charged to itself alone. A dead connection shows there too.
        bodies.clear();
        this.log.warn(
          { err, uids: chunk },
          'fetching several messages at once failed; fetching one at a time',
        );
      }
    };
    return async (index, uid) => {
      if (!bodies.has(uid)) await prefetch(index);
      const kept = bodies.get(uid);
      bodies.delete(uid);
      if (kept) return kept;
      const fetched = await client.fetchOne(
        String(uid),
        { source: { start: 0, maxLength: config.MAX_MESSAGE_BYTES + 1 } },
        { uid: true },
      );
      return fetched ? fetched.source : undefined;
    };
  }

  /** One message: stored and queued, then noted for its folder; or its failure judged. */
  private async handleMessage(
    client: ImapFlow,
    at: MailboxPosition,
    size: number,
    body: () => Promise<Buffer | undefined>,
    outcome: BatchOutcome,
  ): Promise<void> {
    const { config } = this.deps;
    const log = this.log.child({ uid: at.uid });
    try {
      const ingested = await this.store(client, at, size, body);
      if (ingested.created) this.stored++;
      log.info({ messageId: ingested.messageId, created: ingested.created }, 'message stored and queued');
      if (ingested.warnings?.length) log.warn({ warnings: ingested.warnings }, 'message stored in part');
      outcome.file(at.uid, ingested.needsReview ? config.IMAP_REVIEW_FOLDER : config.IMAP_PROCESSED_FOLDER);
    } catch (err) {
      await this.failed(err, client, at, log, outcome);
    }
  }

  /** Store one message and queue its work (an oversized one from its headers alone). */
  private async store(
    client: ImapFlow,
    at: MailboxPosition,
    size: number,
    body: () => Promise<Buffer | undefined>,
  ): Promise<Ingested> {
    const { config, db, queues } = this.deps;
    // The size is read before the download: an oversized message is never pulled into memory.
    if (size > config.MAX_MESSAGE_BYTES) {
      const headers = await client.fetchOne(String(at.uid), { headers: true }, { uid: true });
      const raw = headers ? (headers.headers ?? Buffer.alloc(0)) : Buffer.alloc(0);
      return ingestOversized(this.deps, raw, { ...at, size });
    }
    const raw = await body();
    if (!raw) throw new Error('message body not found');
    if (raw.length > config.MAX_MESSAGE_BYTES)
      throw new MessageNotStorable('message_not_storable', `message over ${config.MAX_MESSAGE_BYTES} bytes`, {
        size: raw.length,
      });
    return (this.deps.ingest ?? ingestMessage)({ db, queues, config }, raw, at);
  }

  /**
   * A message that could not be stored: a lost connection ends the pass (rethrown, not counted); otherwise the
   * failure is counted and the message tried again on a later pass or set aside (failureDisposition).
   */
  private async failed(
    err: unknown,
    client: ImapFlow,
    at: MailboxPosition,
    log: Logger,
    outcome: BatchOutcome,
  ): Promise<void> {
    const e = asError(err);
    const content = isContentError(err);
    const disposition = failureDisposition(
      { connectionUsable: client.usable, content, connectionLost: isConnectionError(err) },
      this.options.maxMessageAttempts ?? 3,
    );
    // Stays in the inbox, and is read again on the next pass (after a backoff).
    if (disposition.action === 'reconnect') throw e;
    const attempts = await recordImapFailure(this.deps.db, at, withoutNul(e.message).slice(0, 2000));
    if (disposition.afterCounting(attempts).action === 'retry_later') {
      // The messages after it go on now, and the connection back-off does not grow (it is only for connection
      // errors).
      log.warn({ err: e, attempts }, 'message could not be stored; trying again on the next pass');
      outcome.retryLater();
      return;
    }
    log.error({ err: e, attempts, content }, 'message could not be stored; set aside for review');
    outcome.setAside(at.uid, this.deps.config.IMAP_REVIEW_FOLDER);
    this.setAsideCount++;
  }

  /** Only now, with each message committed and its jobs queued, are they taken out of the inbox. */
  private async flush(client: ImapFlow, box: MailboxBox, outcome: BatchOutcome): Promise<void> {
    for (const [folder, list] of outcome.toFile) await this.file(client, list, folder);
    for (const uid of outcome.setAsideUids) await markImapSetAside(this.deps.db, { ...box, uid });
    if (outcome.done > 0) await advanceLastSeen(this.deps.db, box.mailbox, box.uidvalidity, outcome.done);
  }

  /** Move to a folder, or (IMAP_AFTER_PROCESSING=flag) flag and mark seen in place. Never delete. */
  private async file(client: ImapFlow, uids: number[], folder: string): Promise<void> {
    if (uids.length === 0) return;
    const set = uids.join(',');
    if (this.deps.config.IMAP_AFTER_PROCESSING === 'flag') {
      await client.messageFlagsAdd(set, ['\\Seen', '$Processed'], { uid: true });
      return;
    }
    const moved = await client.messageMove(set, folder, { uid: true });
    if (!moved) throw new Error(`could not move messages ${set} to ${folder}`);
  }

  /** IDLE until new mail arrives, the poll interval passes, the connection drops, or the poller stops. */
  private async idleUntilWoken(intervalMs: number): Promise<void> {
    const client = this.client;
    if (!client || this.stop.signal.aborted || this.newMail) return;
    const woken = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    void client.idle().catch(() => undefined);
    const interval = pause(intervalMs, this.stop.signal);
    await Promise.race([woken, interval.done]);
    interval.cancel();
    this.wake = null;
  }

  private dropClient(): void {
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners('exists');
      try {
        c.close();
      } catch {
        // already closed
      }
    }
  }

  private async logout(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c?.usable) {
      await Promise.race([
        c.logout().catch(() => undefined),
        once(c, 'close').catch(() => undefined),
        sleep(3000, new AbortController().signal),
      ]);
    }
    c?.close();
  }
}
