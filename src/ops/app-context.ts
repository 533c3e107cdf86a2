import type { Config } from '../config.js';
import { createDatabase, type Database } from '../db/database.js';
import { createLogger, type Logger } from '../logger.js';

/** What a CLI command or a process needs: config, a logger, a database. Closed in reverse order of opening. */
export interface AppContext {
  config: Config;
  log: Logger;
  db: Database;
  close(): Promise<void>;
}

export function openAppContext(config: Config, component: string): AppContext {
  const log = createLogger(config).child({ component });
  const db = createDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE, (err) =>
    log.warn({ err }, 'idle database connection lost'),
  );
  return {
    config,
    log,
    db,
    close: async () => {
      await db.destroy();
    },
  };
}
