import type { Config } from '../config.js';
import { createDatabase, type Database } from '../db/database.js';
import { type Clock, systemClock } from '../jobs/job-deps.js';
import { createLogger, type Logger } from '../logger.js';
import { senderAuthWarning } from '../mail/auth-results.js';
import { createMailTransport, type MailTransport } from '../mail/transport.js';

/** What a CLI command needs: config, a logger, a database. `close()` closes what it opened. */
export interface AppContext {
  config: Config;
  log: Logger;
  db: Database;
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

/** Every long-running process says at start when forged senders cannot be told apart (docs/security.md). */
function warnOfSenderCheck(config: Config, log: Logger): void {
  const senderCheck = senderAuthWarning(config);
  if (senderCheck) log.warn({ setting: 'TRUSTED_AUTHSERV_ID', senderAuth: config.SENDER_AUTH }, senderCheck);
}

/** What the mailer process needs: the app context, the mail transport and a clock. No Redis: the outbox is its queue. */
export interface SendingContext extends AppContext {
  readonly transport: MailTransport;
  clock: Clock;
}

/** The app context with the mail transport (made when first used); `close()` closes both. */
export function openSendingContext(config: Config, component: string): SendingContext {
  const ctx = openAppContext(config, component);
  warnOfSenderCheck(config, ctx.log);
  let transport: MailTransport | undefined;
  return {
    ...ctx,
    get transport() {
      transport ??= createMailTransport(config);
      return transport;
    },
    clock: systemClock,
    close: async () => {
      transport?.close();
      await ctx.close();
    },
  };
}
