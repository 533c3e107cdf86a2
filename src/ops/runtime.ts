import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { createDatabase, type Database } from '../db/database.js';
import { type JobDeps, systemClock } from '../jobs/job-deps.js';
import { createLogger, type Logger } from '../logger.js';
import { senderAuthWarning } from '../mail/auth-results.js';
import { MailRenderer } from '../mail/render.js';
import { createMailTransport, type MailTransport } from '../mail/transport.js';
import { createRedis, openQueues } from '../queue/queues.js';
import { projectRoot } from './project-root.js';

/** What a CLI command needs: config, a logger, a database. `close()` closes what it opened. */
export interface AppContext {
  config: Config;
  log: Logger;
  db: Database;
  close(): Promise<void>;
}

/** Everything a process needs: the app context, Redis and the queues, the mail transport and templates. */
export interface Runtime extends JobDeps {
  redis: Redis;
  close(): Promise<void>;
}

/** Config, logger and database, opened from config. */
export function openAppContext(config: Config, component: string): AppContext {
  const log = createLogger(config).child({ component });
  // The error alone: pg hangs its whole client (connection state, statement texts) on it.
  const db = createDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE, (err) =>
    log.warn({ code: (err as { code?: string }).code, reason: err.message }, 'idle database connection lost'),
  );
  return { config, log, db, close: () => db.destroy() };
}

/** The app context and the rest a process needs; `close()` closes in reverse order of opening. */
export function openRuntime(config: Config, component: string): Runtime {
  const ctx = openAppContext(config, component);
  const { log } = ctx;
  // Every long-running process says at start when forged senders cannot be told apart (docs/security.md).
  const senderCheck = senderAuthWarning(config);
  if (senderCheck) log.warn({ setting: 'TRUSTED_AUTHSERV_ID', senderAuth: config.SENDER_AUTH }, senderCheck);
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (err) => log.warn({ err }, 'redis connection error'));
  const queues = openQueues(redis, config.QUEUE_PREFIX, (err) =>
    log.debug({ err }, 'queue connection error'),
  );
  // Made when first used: the poller renders and sends nothing, the mailer only sends, the parser only renders.
  let transport: MailTransport | undefined;
  let renderer: MailRenderer | undefined;
  return {
    config,
    log,
    db: ctx.db,
    redis,
    queues,
    get transport() {
      transport ??= createMailTransport(config);
      return transport;
    },
    get renderer() {
      renderer ??= new MailRenderer(join(projectRoot(), 'templates'));
      return renderer;
    },
    clock: systemClock,
    close: async () => {
      transport?.close();
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
      await ctx.close();
    },
  };
}
